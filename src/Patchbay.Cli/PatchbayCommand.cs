// The root of the `patchbay` command tree; each verb is its own class and is added here.
using System.CommandLine;
using Patchbay.Cli.Help;

namespace Patchbay.Cli;

internal static class PatchbayCommand
{
    /// <param name="environment">Reads an environment variable (PATCHBAY_API); tests pass their own.</param>
    public static RootCommand Create(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = new RootCommand("Patchbay: an SDN container network (OpenFlow 1.3 controller for Open vSwitch).");
        root.Subcommands.Add(Commands.TenantCommand.Create(environment));
        root.Subcommands.Add(Commands.NetworkCommand.Create(environment));
        root.Subcommands.Add(Commands.EndpointCommand.Create(environment));
        root.Subcommands.Add(Commands.HostCommand.Create(environment));
        root.Subcommands.Add(Commands.ConversationCommand.Create(environment));
        root.Subcommands.Add(Commands.DropCommand.Create(environment));
        root.Subcommands.Add(Commands.DropsCommand.Create(environment));
        root.Subcommands.Add(Commands.PolicyCommand.Create(environment));
        root.Subcommands.Add(Commands.ConnectCommand.Create(environment, connect: true));
        root.Subcommands.Add(Commands.ConnectCommand.Create(environment, connect: false));
        root.Subcommands.Add(Commands.TraceCommand.Create(environment));
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.ControllerCommand.Create());
        root.Subcommands.Add(Commands.AgentCommand.Create());
        root.Subcommands.Add(Commands.LabCommand.Create());
        root.WithExamples(
            "patchbay network create blue --tenant acme --subnet 10.1.0.0/24",
            "patchbay endpoint ls --network blue -o json",
            "eval \"$(patchbay lab env)\" && patchbay conversation ls");
        HelpExamples.Install(root);
        return root;
    }
}
