// What bench/run-all.sh records about one `make bench` run (bench/results/run.json): when, where, with which
// versions, and how each suite ended. The fragments hold the results; this holds everything around them.
namespace Patchbay.BenchReport;

public sealed record RunManifest(
    string Command,
    string Started,
    double Seconds,
    string? Commit,
    string? LoadBefore,
    string? LoadAfter,
    MachineInfo Machine,
    IReadOnlyList<SuiteRun> Suites);

public sealed record MachineInfo(
    string? Cpu,
    int? Cores,
    string? Memory,
    string? Os,
    string? Kernel,
    string? DotnetSdk,
    string? DotnetRuntime,
    string? Ovs,
    string? Osken,
    string? OvsTestcontroller,
    string? Iperf3);

/// <summary>
/// One suite of the run. <paramref name="Status"/> is "ok", "failed", "timeout" or "missing" (its script is not
/// in this checkout); <paramref name="Fragment"/> is the fragment's file name in the results directory.
/// </summary>
public sealed record SuiteRun(
    string Suite,
    string Title,
    string Command,
    string Status,
    double Seconds,
    int? ExitCode,
    string? Reason,
    string? Log,
    string? Fragment);
