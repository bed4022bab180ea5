// The `patchbay demo` command line: its help text is a snapshot, and the root help lists it.
using System.CommandLine;

namespace Patchbay.Cli.Tests.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public void Help_DemoCommand_MatchesSnapshot()
    {
        const string expected = """
            Description:
              Show the OpenFlow and OVSDB foundation driving a real Open vSwitch in network namespaces (root; run through `make demo`)

            Usage:
              patchbay demo [options]

            Options:
              -?, -h, --help  Show help and usage information


            """;

        var (exitCode, output) = Run("demo", "--help");

        // The root command is named after the running executable: "patchbay" when installed, the test host here.
        var asInstalled = output.Replace(RootCommand.ExecutableName + " demo", "patchbay demo", StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Equal(expected.ReplaceLineEndings("\n"), asInstalled.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Help_Root_ListsDemoCommand()
    {
        var (exitCode, output) = Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Patchbay: an SDN container network", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+demo\s+Show the OpenFlow and OVSDB foundation", output);
    }

    [Fact]
    public void Version_Root_PrintsAssemblyVersion()
    {
        var (exitCode, output) = Run("--version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void Parse_DemoWithUnknownOption_ReportsError()
    {
        var result = PatchbayCommand.Create().Parse(["demo", "--no-such-option"]);

        Assert.NotEmpty(result.Errors);
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        var exitCode = PatchbayCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
