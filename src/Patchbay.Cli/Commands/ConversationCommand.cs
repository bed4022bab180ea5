// `patchbay conversation ls|inspect`: the live conversations the controller allowed (read-only).
using System.CommandLine;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class ConversationCommand
{
    public static readonly ResourceKind Kind = new(
        "conversation",
        "conversations",
        [
            Column.Field("ID", "id"), Column.Field("TENANT", "tenant"), Column.Field("SOURCE", "source"), Column.Field("DESTINATION", "destination"),
            Column.Field("MODE", "mode"), Column.Field("STATE", "state"), Column.Field("PACKETS", "packets"), Column.Field("BYTES", "bytes"), Column.Field("STARTED", "started"),
        ],
        Key: "id");

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("conversation", "Conversations: traffic between two endpoints the controller allowed, with their counters (read-only)", environment);
        group.Command.WithExamples("patchbay conversation ls --state active", "patchbay conversation inspect 7 -o json");
        ResourceVerbs.Ls(
            group,
            Kind,
            [
                new ListFilter("tenant", "Only conversations of this tenant"),
                new ListFilter("network", "Only conversations with an endpoint on this network"),
                new ListFilter("host", "Only conversations with an endpoint on this host"),
                new ListFilter("state", "Only active or only ended conversations", "active", "ended"),
            ],
            labels: false,
            "patchbay conversation ls",
            "patchbay conversation ls --state active -o json");
        ResourceVerbs.Inspect(group, Kind, "patchbay conversation inspect 7", "patchbay conversation inspect 7 -o yaml");
        return group.Command;
    }
}
