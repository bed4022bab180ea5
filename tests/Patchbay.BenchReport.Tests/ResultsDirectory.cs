// A temporary results directory (run.json + fragments) for one test, deleted afterwards.
namespace Patchbay.BenchReport.Tests;

internal sealed class ResultsDirectory : IDisposable
{
    public ResultsDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "pb-benchreport-" + Guid.NewGuid().ToString("N"));
        Results = Path.Combine(Root, "results");
        Directory.CreateDirectory(Results);
    }

    public string Root { get; }

    public string Results { get; }

    public string Write(string fileName, string json)
    {
        string path = Path.Combine(Results, fileName);
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public const string Manifest = """
        {
          "command": "make bench", "started": "2026-11-23 17:00 UTC", "seconds": 754.2, "commit": "abc1234",
          "loadBefore": "1.10 1.00 0.90", "loadAfter": "3.20 2.10 1.50",
          "machine": { "cpu": "AMD EPYC", "cores": 2, "memory": "24 GiB", "os": "Debian GNU/Linux 12 (bookworm)",
                       "kernel": "6.18.44", "dotnetSdk": "10.0.401", "dotnetRuntime": "10.0.12", "ovs": "3.1.0",
                       "osken": "2.5.0", "ovsTestcontroller": "3.1.0", "iperf3": "3.12" },
          "suites": [
            { "suite": "controllers", "title": "Controllers side by side", "command": "bench/controllers/run.sh", "status": "ok", "seconds": 101.5, "fragment": "controllers.json" },
            { "suite": "lab", "title": "Lab: first packet", "command": "bench/lab/run.sh --probes 40", "status": "timeout", "seconds": 150, "log": "bench/results/logs/lab.log" },
            { "suite": "cni", "title": "CNI ADD/DEL", "command": "bench/cni/run.sh", "status": "failed", "exitCode": 1, "seconds": 12, "reason": "it exited with status 1: bin/patchbay-cni is missing" },
            { "suite": "scale", "title": "Control-plane scale", "command": "bench/scale/run.sh", "status": "missing", "seconds": 0 }
          ]
        }
        """;

    public const string Controllers = """
        {
          "suite": "controllers",
          "title": "Controllers side by side (issue #7)",
          "command": "bench/controllers/run.sh",
          "seconds": 98.7,
          "summary": "The same load generator against each controller.",
          "tables": [ { "caption": "Throughput", "columns": ["controller", "responses/s", "÷ os-ken"],
                        "rows": [["os-ken", "8,033", "1.00×"], ["patchbay | learning", "1,119,571", "139.37×"]] } ],
          "figures": [
            { "file": "controllers-throughput", "kind": "bars", "title": "Responses per second", "xLabel": "", "yLabel": "responses/s",
              "baseline": "os-ken", "series": [ { "name": "os-ken", "y": [8033] }, { "name": "patchbay-learning", "y": [1119571] } ] },
            { "file": "controllers-latency", "kind": "cdf", "title": "Latency", "xLabel": "µs",
              "series": [ { "name": "os-ken", "y": [2236, 2500, 5685] }, { "name": "patchbay-learning", "y": [242, 300, 641] } ] },
            { "file": "controllers-modes", "kind": "bars", "title": "Both modes", "yLabel": "responses/s", "baseline": "os-ken",
              "series": [ { "name": "os-ken", "x": ["throughput", "latency"], "y": [8033, 7034] },
                          { "name": "patchbay-learning", "x": ["throughput", "latency"], "y": [1119571, 59939] } ] },
            { "file": "controllers-window", "kind": "line", "title": "Window", "xLabel": "window", "yLabel": "responses/s",
              "series": [ { "name": "patchbay-learning", "x": [1, 16, 64], "y": [59939, 600000, 1119571] } ] }
          ],
          "notes": ["os-ken lost 1,024 PACKET_INs."]
        }
        """;
}
