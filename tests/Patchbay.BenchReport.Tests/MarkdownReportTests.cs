// BENCHMARKS.md from a run: the header names the machine and versions, tables stay tables, and every suite
// without results (failed, timed out, not present, malformed fragment) has a section that says why.
namespace Patchbay.BenchReport.Tests;

public sealed class MarkdownReportTests
{
    private static string Render(ResultsDirectory dir)
    {
        RunManifest manifest = FragmentReader.ReadManifest(dir.Write("run.json", ResultsDirectory.Manifest));
        return MarkdownReport.Render(manifest, SuiteSection.Load(dir.Results, manifest), "benchmarks");
    }

    [Fact]
    public void Render_Header_NamesMachineVersionsCommandAndTotalTime()
    {
        using var dir = new ResultsDirectory();
        dir.Write("controllers.json", ResultsDirectory.Controllers);

        string md = Render(dir);

        Assert.StartsWith("# Benchmarks\n", md, StringComparison.Ordinal);
        Assert.Contains("| Date | 2026-11-23 17:00 UTC, commit abc1234 |", md, StringComparison.Ordinal);
        Assert.Contains("| Command | `make bench` (as root;", md, StringComparison.Ordinal);
        Assert.Contains("| Total time | 754 s (12 min 34 s) for the suites; building not included |", md, StringComparison.Ordinal);
        Assert.Contains("| Machine | AMD EPYC, 2 cores, 24 GiB RAM |", md, StringComparison.Ordinal);
        Assert.Contains("| OS | Debian GNU/Linux 12 (bookworm), kernel 6.18.44 |", md, StringComparison.Ordinal);
        Assert.Contains("| .NET | SDK 10.0.401, runtime 10.0.12 |", md, StringComparison.Ordinal);
        Assert.Contains("| Open vSwitch | 3.1.0 |", md, StringComparison.Ordinal);
        Assert.Contains("| os-ken | 2.5.0 |", md, StringComparison.Ordinal);
        Assert.Contains("| iperf3 | 3.12 |", md, StringComparison.Ordinal);
        Assert.Contains("| Load average (1/5/15 min) | 1.10 1.00 0.90 before, 3.20 2.10 1.50 after |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Fragment_TableWithEscapedPipesRightAlignedNumbersFiguresAndNotes()
    {
        using var dir = new ResultsDirectory();
        dir.Write("controllers.json", ResultsDirectory.Controllers);

        string md = Render(dir);

        Assert.Contains("## Controllers side by side (issue #7)\n\nThe same load generator against each controller.\n\nCommand (102 s in this run):\n\n```sh\nbench/controllers/run.sh\n```\n", md, StringComparison.Ordinal);
        Assert.Contains(
            "*Throughput*\n\n| controller | responses/s | ÷ os-ken |\n|---|---:|---:|\n| os-ken | 8,033 | 1.00× |\n| patchbay \\| learning | 1,119,571 | 139.37× |\n",
            md,
            StringComparison.Ordinal);
        Assert.Contains("![Responses per second](benchmarks/controllers-throughput.png)", md, StringComparison.Ordinal);
        Assert.Contains("![Latency](benchmarks/controllers-latency.png)", md, StringComparison.Ordinal);
        Assert.Contains("\n- os-ken lost 1,024 PACKET_INs.\n", md, StringComparison.Ordinal);
        Assert.Contains("| Controllers side by side (issue #7) | ok | 102 | `bench/controllers/run.sh` |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SuitesWithoutResults_EachSaysWhy()
    {
        using var dir = new ResultsDirectory();
        dir.Write("controllers.json", ResultsDirectory.Controllers);

        string md = Render(dir);

        Assert.Contains("| Lab: first packet | **timed out** | 150 | `bench/lab/run.sh --probes 40` |", md, StringComparison.Ordinal);
        Assert.Contains("## Lab: first packet (timed out)\n\nNo results from this suite in this run: it was stopped by its time limit after 150 s.\nIts output is in `bench/results/logs/lab.log`", md, StringComparison.Ordinal);
        Assert.Contains("## CNI ADD/DEL (failed)\n\nNo results from this suite in this run: it exited with status 1: bin/patchbay-cni is missing.", md, StringComparison.Ordinal);
        Assert.Contains("| Control-plane scale | not present | 0 | `bench/scale/run.sh` |", md, StringComparison.Ordinal);
        Assert.Contains("## Control-plane scale (not present)\n\nNo results from this suite in this run: its script is not present in this checkout, so nothing was measured.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OkSuiteWithMalformedFragment_IsFailedNamingTheFile()
    {
        using var dir = new ResultsDirectory();
        string path = dir.Write("controllers.json", """{ "suite": "controllers", "title": "t" }""");
        RunManifest manifest = FragmentReader.ReadManifest(dir.Write("run.json", ResultsDirectory.Manifest));

        SuiteSection section = SuiteSection.Load(dir.Results, manifest)[0];

        Assert.False(section.Succeeded);
        Assert.Equal("Controllers side by side", section.Title);
        Assert.Equal($"its result fragment is malformed: {path}: \"command\" is missing or empty", section.Problem);
        Assert.Contains($"## Controllers side by side (failed)\n\nNo results from this suite in this run: its result fragment is malformed: {path}:", MarkdownReport.Render(manifest, [section], "benchmarks"), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OkSuiteWithoutFragment_IsFailed()
    {
        using var dir = new ResultsDirectory();
        RunManifest manifest = FragmentReader.ReadManifest(dir.Write("run.json", ResultsDirectory.Manifest));

        SuiteSection section = SuiteSection.Load(dir.Results, manifest)[0];

        Assert.Equal("failed", section.Status);
        Assert.Equal("it exited with status 0 but wrote no result fragment", section.Problem);
    }

    [Fact]
    public void Load_FragmentNotInTheManifest_IsReportedAfterTheManifestSuites()
    {
        using var dir = new ResultsDirectory();
        dir.Write("controllers.json", ResultsDirectory.Controllers);
        dir.Write("extra.json", ResultsDirectory.Controllers.Replace("\"controllers\"", "\"extra\"", StringComparison.Ordinal).Replace("controllers-", "extra-", StringComparison.Ordinal));
        RunManifest manifest = FragmentReader.ReadManifest(dir.Write("run.json", ResultsDirectory.Manifest));

        IReadOnlyList<SuiteSection> sections = SuiteSection.Load(dir.Results, manifest);

        Assert.Equal(["controllers", "lab", "cni", "scale", "extra"], sections.Select(s => s.Suite));
        Assert.True(sections[4].Succeeded);
    }

    [Fact]
    public void Load_FigureFileUsedByTwoSuites_SecondIsFailed()
    {
        using var dir = new ResultsDirectory();
        dir.Write("controllers.json", ResultsDirectory.Controllers);
        dir.Write("twin.json", ResultsDirectory.Controllers.Replace("\"controllers\"", "\"twin\"", StringComparison.Ordinal));
        RunManifest manifest = FragmentReader.ReadManifest(dir.Write("run.json", ResultsDirectory.Manifest));

        SuiteSection twin = SuiteSection.Load(dir.Results, manifest)[4];

        Assert.False(twin.Succeeded);
        Assert.Contains("figure file 'controllers-throughput' is already used by another suite", twin.Problem, StringComparison.Ordinal);
    }
}
