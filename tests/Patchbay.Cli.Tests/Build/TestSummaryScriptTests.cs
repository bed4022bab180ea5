// scripts/test-summary.sh decides whether `make test` (and so CI) passes: it must add up every
// project's TRX counters, count a project without results as a failure, and fail when nothing ran.
using System.Diagnostics;

namespace Patchbay.Cli.Tests.Build;

public sealed class TestSummaryScriptTests : IDisposable
{
    private readonly string _results = Directory.CreateTempSubdirectory("pb-summary-").FullName;

    public void Dispose() => Directory.Delete(_results, recursive: true);

    [Fact]
    public void Summary_AllProjectsPassed_PrintsTotalsAndExitsZero()
    {
        WriteTrx("A", passed: 3);
        WriteTrx("B", passed: 2);

        var (exitCode, lastLine) = Summarize("A", "B");

        Assert.Equal("5 passed, 0 failed", lastLine);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void Summary_FailuresErrorsAndSkips_CountsThemAndExitsNonZero()
    {
        WriteTrx("A", passed: 3, failed: 1, notExecuted: 2);
        WriteTrx("B", passed: 1, error: 1, timeout: 1, aborted: 1);

        var (exitCode, lastLine) = Summarize("A", "B");

        Assert.Equal("4 passed, 4 failed, 2 skipped", lastLine);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public void Summary_FailedTests_NamedWithTheirMessagesFirstLineAboveTheClosingLine()
    {
        WriteTrx("A", passed: 1, failed: 2, results: """
            <UnitTestResult testName="Ns.C.Ok" outcome="Passed" />
            <UnitTestResult testName="Ns.C.Bad(name: &quot;x&quot;)" outcome="Failed">
              <Output><ErrorInfo><Message>Assert.Equal() Failure: 1 &lt; 2 &amp; 3
            second line</Message><StackTrace>at Ns.C.Bad()</StackTrace></ErrorInfo></Output>
            </UnitTestResult>
            <UnitTestResult testName="Ns.C.Silent" outcome="Failed" />
            """);

        var (exitCode, lines) = Run("A");

        Assert.Equal(
            ["  A: Ns.C.Bad(name: \"x\"): Assert.Equal() Failure: 1 < 2 & 3", "  A: Ns.C.Silent", "1 passed, 2 failed"],
            lines[^3..]);
        Assert.DoesNotContain(lines, line => line.Contains("Ns.C.Ok", StringComparison.Ordinal));
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public void Summary_AssertAllFailure_NamesTheFirstFailingItemsError()
    {
        WriteTrx("A", failed: 1, results: """
            <UnitTestResult testName="Ns.C.Poll" outcome="Failed">
              <Output><ErrorInfo><Message>Assert.All() Failure: 1 out of 18 items in the collection did not pass.
            [5]: Item:  00:00:00.5120000
                 Error: GET /v1/hosts took 512 ms (bound 500 ms): API 1.2 512.0
            [9]: Item:  00:00:00.6000000
                 Error: GET /v1/hosts took 600 ms (bound 500 ms)</Message></ErrorInfo></Output>
            </UnitTestResult>
            """);

        var (_, lines) = Run("A");

        Assert.Equal(
            "  A: Ns.C.Poll: Assert.All() Failure: 1 out of 18 items in the collection did not pass. | Error: GET /v1/hosts took 512 ms (bound 500 ms): API 1.2 512.0",
            lines[^2]);
    }

    [Fact]
    public void Summary_ProjectWithoutTrx_CountsOneFailure()
    {
        WriteTrx("A", passed: 7);

        var (exitCode, lastLine) = Summarize("A", "Missing");

        Assert.Equal("7 passed, 1 failed", lastLine);
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public void Summary_NothingRan_ExitsNonZero()
    {
        WriteTrx("A");

        var (exitCode, lastLine) = Summarize("A");

        Assert.Equal("0 passed, 0 failed", lastLine);
        Assert.Equal(1, exitCode);
    }

    private void WriteTrx(string name, int passed = 0, int failed = 0, int error = 0, int timeout = 0, int aborted = 0, int notExecuted = 0, string results = "") =>
        File.WriteAllText(Path.Combine(_results, name + ".trx"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
            {results}
              </Results>
              <ResultSummary outcome="Completed">
                <Counters total="{passed + failed + error + timeout + aborted + notExecuted}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="{error}" timeout="{timeout}" aborted="{aborted}" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="{notExecuted}" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
              </ResultSummary>
            </TestRun>
            """);

    private (int ExitCode, string LastLine) Summarize(params string[] projects)
    {
        var (exitCode, lines) = Run(projects);
        return (exitCode, lines[^1]);
    }

    private (int ExitCode, string[] Lines) Run(params string[] projects)
    {
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "test-summary.sh"));
        startInfo.ArgumentList.Add(_results);
        foreach (var project in projects)
        {
            startInfo.ArgumentList.Add(project);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.TrimEnd('\n').Split('\n'));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Patchbay.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Patchbay.slnx not found above " + AppContext.BaseDirectory);
    }
}
