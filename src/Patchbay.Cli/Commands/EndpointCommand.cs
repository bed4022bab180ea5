// `patchbay endpoint create|ls|inspect|rm|label`: container interfaces (lab containers and CNI pods are endpoints too).
using System.CommandLine;
using System.Text.Json;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Commands;

internal static class EndpointCommand
{
    public static readonly ResourceKind Kind = new(
        "endpoint",
        "endpoints",
        [
            Column.Field("NAME", "name"), Column.Field("TENANT", "tenant"), Column.Field("NETWORK", "network"), Column.Field("IP", "ip"),
            Column.Field("MAC", "mac"), Column.Field("HOST", "host"), Column.Field("PORT", "ovsPort"), Column.Field("LABELS", "labels"),
        ]);

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("endpoint", "Endpoints: one container interface each (tenant, network, IP, MAC, host, port, labels)", environment);
        group.Command.WithExamples("patchbay endpoint ls --host h1", "patchbay endpoint inspect c1 -o json", "patchbay endpoint label c1 --label role=db");
        CreateCreate(group);
        ResourceVerbs.Ls(
            group,
            Kind,
            [new ListFilter("tenant", "Only endpoints of this tenant"), new ListFilter("network", "Only endpoints on this network"), new ListFilter("host", "Only endpoints on this host")],
            labels: true,
            "patchbay endpoint ls",
            "patchbay endpoint ls --network blue --host h2",
            "patchbay endpoint ls --label role=db -o yaml");
        ResourceVerbs.Inspect(group, Kind, "patchbay endpoint inspect c1", "patchbay endpoint inspect c1 -o json");
        ResourceVerbs.Rm(group, Kind, "Delete an endpoint: its address is released and its conversations end", "patchbay endpoint rm web1");
        ResourceVerbs.Label(group, Kind, "patchbay endpoint label web1 --label role=web --label tier=front", "patchbay endpoint label web1 --remove tier");
        return group.Command;
    }

    private static void CreateCreate(ApiCommandGroup group)
    {
        var name = ResourceVerbs.NameArgument(Kind);
        var network = new Option<string>("--network") { Description = "The network to join", HelpName = "network", Required = true };
        var host = new Option<string>("--host") { Description = "The host the endpoint lives on", HelpName = "host", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant [default: the network's]", HelpName = "tenant" };
        var ip = new Option<string?>("--ip") { Description = "The address [default: allocated from the network's subnet]", HelpName = "IP" };
        var mac = new Option<string?>("--mac") { Description = "The MAC address [default: allocated by the controller]", HelpName = "MAC" };
        var labels = ResourceVerbs.LabelOption("Label KEY=VALUE on the new endpoint (repeatable)");
        var output = OutputOption.Create();
        var command = new Command("create", "Create an endpoint in the controller's model (an agent plugs it into a container; `patchbay lab container add` does both)")
        {
            name, network, host, tenant, ip, mac, labels, output,
        }.WithExamples("patchbay endpoint create web1 --network blue --host h1", "patchbay endpoint create db1 --network blue --host h2 --ip 10.1.0.10 --label role=db -o json");
        group.Add(command, async (run, cancellationToken) =>
        {
            var parsed = ResourceVerbs.ParseLabels(run.ParseResult.GetValue(labels));
            var request = new EndpointCreate(
                run.ParseResult.GetRequiredValue(name),
                run.ParseResult.GetRequiredValue(network),
                run.ParseResult.GetRequiredValue(host),
                run.ParseResult.GetValue(tenant),
                run.ParseResult.GetValue(ip),
                run.ParseResult.GetValue(mac),
                parsed.Count > 0 ? parsed : null);
            var body = JsonSerializer.SerializeToNode(request, PatchbayJsonContext.Default.EndpointCreate)!;
            var created = await run.Api.PostAsync(Kind.Path, body, cancellationToken) ?? body;
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), created, Kind.Columns);
        });
    }
}
