// The side-by-side table: one row per controller (throughput and latency runs joined by label), then the
// throughput ratio of every Patchbay run to every other controller, all from the same run of the script.
using System.Globalization;
using System.Text;

namespace Patchbay.LoadGen;

public static class Comparison
{
    public static string Markdown(IReadOnlyList<LoadReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| controller | throughput responses/s | throughput p50 / p99 (µs) | lost | latency-mode responses/s | latency p50 / p99 (µs) | fairness (Jain) | generator CPU (throughput) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        List<string> labels = [.. reports.Select(r => r.Label).Distinct()];
        foreach (string label in labels)
        {
            LoadReport? throughput = reports.FirstOrDefault(r => r.Label == label && r.Mode == "throughput");
            LoadReport? latency = reports.FirstOrDefault(r => r.Label == label && r.Mode == "latency");
            string name = throughput?.PairWraps > 0 || latency?.PairWraps > 0 ? $"{label} (endpoint pairs ran out: later packets repeat conversations)" : label;
            text.AppendLine(c, $"| {name} | {Rate(throughput)} | {Percentiles(throughput)} | {(throughput is null ? "–" : throughput.Lost.ToString(c))} | {Rate(latency)} | {Percentiles(latency)} | {(throughput is null ? "–" : throughput.Fairness.ToString("0.000", c))} | {GeneratorCpu(throughput)} |");
        }

        List<LoadReport> ours = [.. reports.Where(r => r.Mode == "throughput" && r.Label.StartsWith("patchbay", StringComparison.Ordinal))];
        List<LoadReport> peers = [.. reports.Where(r => r.Mode == "throughput" && !r.Label.StartsWith("patchbay", StringComparison.Ordinal))];
        if (ours.Count > 0 && peers.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| throughput ratio | " + string.Join(" | ", peers.Select(p => $"÷ {p.Label}")) + " |");
            text.AppendLine("|---|" + string.Concat(peers.Select(_ => "---:|")));
            foreach (LoadReport us in ours)
            {
                string ratios = string.Join(" | ", peers.Select(p => p.ResponsesPerSecond > 0 ? (us.ResponsesPerSecond / p.ResponsesPerSecond).ToString("0.00", c) + "×" : "–"));
                text.AppendLine($"| {us.Label} | {ratios} |");
            }
        }

        return text.ToString();
    }

    // Share of one core the generator itself used while measuring: the rest of the 2 cores was the controller's (and the machine's other load).
    private static string GeneratorCpu(LoadReport? report) =>
        report is null || report.Loops.Count == 0
            ? "–"
            : (report.Loops.Sum(l => l.GeneratorCpuSeconds) / report.Loops.Sum(l => l.Seconds)).ToString("0%", CultureInfo.InvariantCulture);

    private static string Rate(LoadReport? report) =>
        report is null ? "–" : report.ResponsesPerSecond.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Percentiles(LoadReport? report) =>
        report is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{report.P50Microseconds:0} / {report.P99Microseconds:0}");
}
