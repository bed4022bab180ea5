// `patchbay network create|ls|inspect|rm|label`: a tenant's networks, each with a subnet and a virtual gateway.
using System.CommandLine;
using System.Text.Json;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Commands;

internal static class NetworkCommand
{
    public static readonly ResourceKind Kind = new(
        "network",
        "networks",
        [Column.Field("NAME", "name"), Column.Field("TENANT", "tenant"), Column.Field("SUBNET", "subnet"), Column.Field("GATEWAY", "gateway"), Column.Field("LABELS", "labels")]);

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("network", "Networks: a tenant's IPv4 subnet with a virtual gateway", environment);
        group.Command.WithExamples("patchbay network create blue --tenant acme --subnet 10.1.0.0/24", "patchbay network ls --tenant acme", "patchbay network inspect blue -o json");
        CreateCreate(group);
        ResourceVerbs.Ls(
            group,
            Kind,
            [new ListFilter("tenant", "Only networks of this tenant")],
            labels: true,
            "patchbay network ls",
            "patchbay network ls --tenant acme -o json",
            "patchbay network ls --label env=prod --limit 10");
        ResourceVerbs.Inspect(group, Kind, "patchbay network inspect blue", "patchbay network inspect blue -o yaml");
        ResourceVerbs.Rm(group, Kind, "Delete a network (the controller refuses while endpoints are on it)", "patchbay network rm blue");
        ResourceVerbs.Label(group, Kind, "patchbay network label blue --label env=prod", "patchbay network label blue --remove env");
        return group.Command;
    }

    private static void CreateCreate(ApiCommandGroup group)
    {
        var name = ResourceVerbs.NameArgument(Kind);
        var tenant = new Option<string?>("--tenant") { Description = "The tenant that owns the network [default: the controller's 'default' tenant]", HelpName = "tenant" };
        var subnet = new Option<string>("--subnet") { Description = "The IPv4 subnet, e.g. 10.1.0.0/24", HelpName = "CIDR", Required = true };
        var gateway = new Option<string?>("--gateway") { Description = "The virtual gateway address [default: the subnet's first host address]", HelpName = "IP" };
        var labels = ResourceVerbs.LabelOption("Label KEY=VALUE on the new network (repeatable)");
        var output = OutputOption.Create();
        var command = new Command("create", "Create a network") { name, tenant, subnet, gateway, labels, output }
            .WithExamples("patchbay network create blue --tenant acme --subnet 10.1.0.0/24", "patchbay network create red --tenant acme --subnet 10.2.0.0/16 --gateway 10.2.255.254 -o json");
        group.Add(command, async (run, cancellationToken) =>
        {
            var parsed = ResourceVerbs.ParseLabels(run.ParseResult.GetValue(labels));
            var request = new NetworkCreate(
                run.ParseResult.GetRequiredValue(name),
                run.ParseResult.GetValue(tenant),
                run.ParseResult.GetRequiredValue(subnet),
                run.ParseResult.GetValue(gateway),
                parsed.Count > 0 ? parsed : null);
            var body = JsonSerializer.SerializeToNode(request, PatchbayJsonContext.Default.NetworkCreate)!;
            var created = await run.Api.PostAsync(Kind.Path, body, cancellationToken) ?? body;
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), created, Kind.Columns);
        });
    }
}
