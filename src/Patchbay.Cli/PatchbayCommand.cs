// The root of the `patchbay` command tree; each verb is its own class and is added here.
using System.CommandLine;

namespace Patchbay.Cli;

internal static class PatchbayCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Patchbay: an SDN container network (OpenFlow 1.3 controller for Open vSwitch).");
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.ControllerCommand.Create());
        root.Subcommands.Add(Commands.AgentCommand.Create());
        root.Subcommands.Add(Commands.LabCommand.Create());
        return root;
    }
}
