// `--help` of every API and lab-container command, compared with its snapshot in Help/Snapshots/ (the file name is
// the command path joined by dashes). A changed help text is a reviewed change to the snapshot in the same commit.
using System.CommandLine;

namespace Patchbay.Cli.Tests.Help;

public sealed class HelpSnapshotTests
{
    private static readonly string[] NewCommands =
    [
        "tenant", "tenant create", "tenant ls", "tenant inspect", "tenant rm", "tenant label",
        "network", "network create", "network ls", "network inspect", "network rm", "network label",
        "endpoint", "endpoint create", "endpoint ls", "endpoint inspect", "endpoint rm", "endpoint label",
        "host", "host ls", "host inspect", "host rm",
        "conversation", "conversation ls", "conversation inspect",
        "drop", "drop ls", "drops",
        "lab env", "lab container", "lab container add", "lab container rm",
        "policy", "policy apply", "policy ls", "policy inspect", "policy rm", "policy decide", "connect", "disconnect",
        "controller", "trace",
    ];

    public static TheoryData<string> Commands() => [.. NewCommands];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_Command_MatchesSnapshot(string command)
    {
        string[] path = command.Split(' ');
        var file = Path.Combine(AppContext.BaseDirectory, "Help", "Snapshots", string.Join('-', path) + ".txt");

        var result = await Cli.RunAsync(new Dictionary<string, string>(), [.. path, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(file).ReplaceLineEndings("\n"), AsInstalled(result.Output));
    }

    /// <summary>Every new command, and the root (whose listing other verbs change, so it has no snapshot).</summary>
    public static TheoryData<string> CommandsAndRoot() => [.. NewCommands, "root"];

    [Theory]
    [MemberData(nameof(CommandsAndRoot))]
    public async Task Help_Command_HasDescriptionAndExamples(string command)
    {
        string[] path = command == "root" ? [] : command.Split(' ');

        var help = (await Cli.RunAsync(new Dictionary<string, string>(), [.. path, "--help"])).Output;

        Assert.Matches(@"^Description:\n  \S", AsInstalled(help));
        Assert.Matches(@"\nExamples:\n(  patchbay .+\n|  eval .+\n)+\n$", AsInstalled(help));
    }

    // The root command is named after the running executable: "patchbay" when installed, the test host here.
    private static string AsInstalled(string help) =>
        help.ReplaceLineEndings("\n").Replace("  " + RootCommand.ExecutableName + " ", "  patchbay ", StringComparison.Ordinal);
}
