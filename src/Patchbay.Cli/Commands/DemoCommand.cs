// `patchbay demo` (what `make demo` runs): the foundation demo against real OVS in network namespaces.
using System.CommandLine;
using Microsoft.Extensions.Logging;
using Patchbay.Cli.Lab;

namespace Patchbay.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        // Not hidden: System.CommandLine prints no help at all for a hidden command.
        var command = new Command("demo", "Show the OpenFlow and OVSDB foundation driving a real Open vSwitch in network namespaces (root; run through `make demo`)");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Warnings only: the demo narrates its own steps on stdout.
            using var loggerFactory = LoggerFactory.Create(builder => builder.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
            return await new FoundationDemo(parseResult.InvocationConfiguration.Output, loggerFactory).RunAsync(cancellationToken);
        });
        return command;
    }
}
