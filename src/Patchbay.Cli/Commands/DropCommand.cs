// `patchbay drop ls`: packets the switches dropped, by host and reason (read from the drop flows' counters);
// `patchbay drops` (DropsCommand) lists the recent refused first packets by rule.
using System.CommandLine;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class DropCommand
{
    public static readonly ResourceKind Kind = new(
        "drop counter",
        "drops",
        [Column.Field("HOST", "host"), Column.Field("REASON", "reason"), Column.Field("PACKETS", "packets"), Column.Field("BYTES", "bytes")]);

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("drop", "Dropped packets by host and reason (port security, no endpoint, denied, ...)", environment);
        group.Command.WithExamples("patchbay drop ls", "patchbay drop ls --host h1");
        ResourceVerbs.Ls(group, Kind, [new ListFilter("host", "Only this host's counters")], labels: false, "patchbay drop ls", "patchbay drop ls --host h1 -o json");
        return group.Command;
    }
}
