// `patchbay host ls|inspect|rm`: hosts register themselves through their agent; the CLI reads and forgets them.
using System.CommandLine;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class HostCommand
{
    public static readonly ResourceKind Kind = new(
        "host",
        "hosts",
        [
            Column.Field("NAME", "name"), Column.Field("STATE", "state"), Column.Field("UNDERLAY", "underlayIp"), Column.Field("SEGMENT", "segment"),
            Column.Field("DATAPATH", "datapathId"), Column.Field("UPLINK", "uplinkMac"), Column.Field("LAST SEEN", "lastSeen"),
        ]);

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("host", "Hosts: machines running OVS and a Patchbay agent (registered by the agent)", environment);
        group.Command.WithExamples("patchbay host ls", "patchbay host inspect h1 -o json");
        ResourceVerbs.Ls(group, Kind, [new ListFilter("state", "Only hosts in this state", "registered", "connected")], labels: false, "patchbay host ls", "patchbay host ls --state connected -o json");
        ResourceVerbs.Inspect(group, Kind, "patchbay host inspect h1", "patchbay host inspect h1 -o yaml");
        ResourceVerbs.Rm(group, Kind, "Forget a host (its agent registers it again while it runs)", "patchbay host rm h3");
        return group.Command;
    }
}
