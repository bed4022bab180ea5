// The table run.sh prints: one row per controller joining its throughput and latency runs, and the ratio
// of every Patchbay run to every peer.
namespace Patchbay.LoadGen.Tests;

public sealed class ComparisonTests
{
    [Fact]
    public void Markdown_PatchbayAndPeer_RowsAndRatio()
    {
        LoadReport[] reports =
        [
            Report("patchbay-learning", "throughput", 500_000, wraps: 0),
            Report("patchbay-learning", "latency", 40_000, wraps: 0),
            Report("os-ken", "throughput", 50_000, wraps: 0),
            Report("patchbay-real", "throughput", 25_000, wraps: 2),
        ];

        string[] lines = Comparison.Markdown(reports).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("| patchbay-learning | 500,000 |", StringComparison.Ordinal) && l.Contains("| 40,000 |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| os-ken | 50,000 |", StringComparison.Ordinal) && l.Contains("| – |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| patchbay-real (endpoint pairs ran out", StringComparison.Ordinal));
        Assert.Contains("| patchbay-learning | 10.00× |", lines);
        Assert.Contains("| patchbay-real | 0.50× |", lines);
    }

    private static LoadReport Report(string label, string mode, double rate, int wraps) =>
        new(label, mode, "learning", 16, 64, false, 2, [new LoopReport(1, 10, (long)(rate * 10), rate, 100, 200, 1, 1, 1, 0.5)], rate, 100, 200, 1, 0, 0, 0, 0, 0, wraps, []);
}
