// Figures: every kind is written as a real PNG, the whole report writes its files and drops stale ones,
// and bar labels carry the ratio to the baseline peer.
namespace Patchbay.BenchReport.Tests;

public sealed class FigureWriterTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} holds only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }

    [Fact]
    public void Write_EveryKind_WritesANonEmptyPng()
    {
        using var dir = new ResultsDirectory();
        Fragment f = FragmentReader.Read(dir.Write("controllers.json", ResultsDirectory.Controllers));
        string figures = Path.Combine(dir.Root, "benchmarks");

        List<string> paths = [.. f.Figures.Select(figure => FigureWriter.Write(figure, figures))];

        Assert.Equal(
            ["controllers-throughput.png", "controllers-latency.png", "controllers-modes.png", "controllers-window.png"],
            paths.Select(Path.GetFileName));
        paths.ForEach(AssertPng);
    }

    [Fact]
    public void ReportWriter_Write_WritesMarkdownAndFiguresRemovesStaleOnesAndListsProblems()
    {
        using var dir = new ResultsDirectory();
        dir.Write("run.json", ResultsDirectory.Manifest);
        dir.Write("controllers.json", ResultsDirectory.Controllers);
        string markdown = Path.Combine(dir.Root, "BENCHMARKS.md");
        string figures = Path.Combine(dir.Root, "benchmarks");
        Directory.CreateDirectory(figures);
        File.WriteAllText(Path.Combine(figures, "old-run.png"), "stale");

        ReportWriter.Result result = ReportWriter.Write(dir.Results, markdown);

        Assert.Equal(4, result.Figures);
        Assert.Equal(1, result.Succeeded);
        Assert.Equal(["lab", "cni", "scale"], result.Problems.Select(p => p.Split(':')[0]));
        Assert.Equal(
            ["controllers-latency.png", "controllers-modes.png", "controllers-throughput.png", "controllers-window.png"],
            Directory.GetFiles(figures).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Directory.GetFiles(figures).ToList().ForEach(AssertPng);
        Assert.Contains("![Responses per second](benchmarks/controllers-throughput.png)", File.ReadAllText(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void ReportWriter_Write_WithoutManifest_NamesTheMissingFile()
    {
        using var dir = new ResultsDirectory();

        var e = Assert.Throws<FragmentException>(() => ReportWriter.Write(dir.Results, Path.Combine(dir.Root, "BENCHMARKS.md")));

        Assert.StartsWith(Path.Combine(dir.Results, "run.json") + ": cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1119571, 8033.0, true, "1.12 M\n139.37× os-ken")]
    [InlineData(8033, 8033.0, false, "8033")]
    [InlineData(46499, null, true, "46.5 k")]
    [InlineData(0.46, 0.47, true, "0.46\n0.98× os-ken")]
    public void Label_WithABaseline_CarriesTheRatio(double value, double? baseline, bool showRatio, string expected) =>
        Assert.Equal(expected, FigureWriter.Label(value, baseline, showRatio, "os-ken"));
}
