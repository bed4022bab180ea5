// `patchbay tenant create|ls|inspect|rm|label`: tenants own networks; two tenants may use the same subnets.
using System.CommandLine;
using System.Text.Json;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Commands;

internal static class TenantCommand
{
    public static readonly ResourceKind Kind = new("tenant", "tenants", [Column.Field("NAME", "name"), Column.Field("LABELS", "labels"), Column.Field("CREATED", "created")]);

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("tenant", "Tenants: each owns networks; two tenants may hold the same subnets", environment);
        group.Command.WithExamples("patchbay tenant create acme", "patchbay tenant ls", "patchbay tenant rm acme");
        CreateCreate(group);
        ResourceVerbs.Ls(group, Kind, [], labels: true, "patchbay tenant ls", "patchbay tenant ls --label env=prod -o json");
        ResourceVerbs.Inspect(group, Kind, "patchbay tenant inspect acme", "patchbay tenant inspect acme -o yaml");
        ResourceVerbs.Rm(group, Kind, "Delete a tenant (the controller refuses while it still has networks)", "patchbay tenant rm acme");
        ResourceVerbs.Label(group, Kind, "patchbay tenant label acme --label env=prod", "patchbay tenant label acme --remove env");
        return group.Command;
    }

    private static void CreateCreate(ApiCommandGroup group)
    {
        var name = ResourceVerbs.NameArgument(Kind);
        var labels = ResourceVerbs.LabelOption("Label KEY=VALUE on the new tenant (repeatable)");
        var output = OutputOption.Create();
        var command = new Command("create", "Create a tenant") { name, labels, output }
            .WithExamples("patchbay tenant create acme", "patchbay tenant create acme --label env=prod -o json");
        group.Add(command, async (run, cancellationToken) =>
        {
            var parsed = ResourceVerbs.ParseLabels(run.ParseResult.GetValue(labels));
            var request = new TenantCreate(run.ParseResult.GetRequiredValue(name), parsed.Count > 0 ? parsed : null);
            var body = JsonSerializer.SerializeToNode(request, PatchbayJsonContext.Default.TenantCreate)!;

            var created = await run.Api.PostAsync(Kind.Path, body, cancellationToken) ?? body;
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), created, Kind.Columns);
        });
    }
}
