// `patchbay drops`: the first packets the controller refused, recently, by source, destination, protocol/port,
// reason and the rule (or connection) that decided, with how many packets were dropped for each (GET
// /v1/drops/recent). The per-host counters by reason stay under `patchbay drop ls`.
using System.CommandLine;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class DropsCommand
{
    private const string Path = "v1/drops/recent";

    private static readonly Column[] Columns =
    [
        Column.Field("SOURCE", "source"),
        Column.Field("DESTINATION", "destination"),
        Column.Field("PROTO/PORT", "protocol"),
        Column.Field("REASON", "reason"),
        Column.Field("RULE", "rule"),
        Column.Field("COUNT", "packets"),
    ];

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup(
            "drops",
            "Recent first packets the controller refused: source, destination, protocol/port, reason, the rule that decided, packet count",
            environment);
        var tenant = new Option<string?>("--tenant") { Description = "Only drops of this tenant", HelpName = "tenant" };
        var host = new Option<string?>("--host") { Description = "Only drops whose source is on this host", HelpName = "host" };
        var output = OutputOption.Create();
        group.Command.Options.Add(tenant);
        group.Command.Options.Add(host);
        group.Command.Options.Add(output);
        group.Command.WithExamples("patchbay drops", "patchbay drops --tenant acme", "patchbay drops --host h1 -o json");
        group.Run(async (run, cancellationToken) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            if (run.ParseResult.GetValue(tenant) is { Length: > 0 } t)
            {
                query.Add(new("tenant", t));
            }

            if (run.ParseResult.GetValue(host) is { Length: > 0 } h)
            {
                query.Add(new("host", h));
            }

            var format = OutputOption.Parse(run.ParseResult.GetRequiredValue(output));
            await Printer.WriteListAsync(run.Output, format, await run.Api.ListAllAsync(Path, query, cancellationToken), null, Columns);
        });
        return group.Command;
    }
}
