// An "Examples:" section after System.CommandLine's own help, for every command that registered examples.
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Patchbay.Cli.Help;

internal static class HelpExamples
{
    private static readonly ConditionalWeakTable<Command, string[]> Registered = [];

    /// <summary>Registers the command lines shown under "Examples:" in the command's help; returns the command.</summary>
    public static T WithExamples<T>(this T command, params string[] examples)
        where T : Command
    {
        Registered.AddOrUpdate(command, examples);
        return command;
    }

    /// <summary>Makes the root's (recursive) help option print the examples after the standard sections.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
        {
            help.Action = new ExamplesAction(standard);
        }
    }

    private sealed class ExamplesAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = standard.Invoke(parseResult);
            if (Registered.TryGetValue(parseResult.CommandResult.Command, out var examples) && examples.Length > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine("  " + example);
                }

                output.WriteLine();
            }

            return exitCode;
        }
    }
}
