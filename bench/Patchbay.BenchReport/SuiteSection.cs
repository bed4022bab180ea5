// One section of BENCHMARKS.md: a suite's fragment when it ran and wrote a good one, otherwise what went wrong.
namespace Patchbay.BenchReport;

/// <summary>
/// <paramref name="Problem"/> is set when there is no result to show: the suite failed, timed out, is not
/// present, or wrote no fragment or a malformed one. <paramref name="Status"/> is the manifest's status.
/// </summary>
public sealed record SuiteSection(
    string Suite,
    string Title,
    string Command,
    string Status,
    double Seconds,
    string? Problem,
    string? Log,
    Fragment? Fragment)
{
    public bool Succeeded => Problem is null && Fragment is not null;

    /// <summary>Reads the manifest's suites' fragments, then any other fragment in the directory, in name order.</summary>
    public static IReadOnlyList<SuiteSection> Load(string resultsDirectory, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var sections = new List<SuiteSection>();
        var claimed = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(Path.Combine(resultsDirectory, ManifestFileName)) };
        var figureFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (SuiteRun run in manifest.Suites)
        {
            string? fragmentPath = run.Fragment is null ? null : Path.Combine(resultsDirectory, run.Fragment);
            if (fragmentPath is not null)
            {
                claimed.Add(Path.GetFullPath(fragmentPath));
            }

            sections.Add(FromRun(run, fragmentPath, figureFiles));
        }

        foreach (string path in Directory.EnumerateFiles(resultsDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            if (claimed.Add(Path.GetFullPath(path)))
            {
                sections.Add(FromFile(path, figureFiles));
            }
        }

        return sections;
    }

    public const string ManifestFileName = "run.json";

    private static SuiteSection FromRun(SuiteRun run, string? fragmentPath, HashSet<string> figureFiles)
    {
        string? problem = run.Status switch
        {
            "ok" => null,
            "missing" => run.Reason ?? "its script is not present in this checkout, so nothing was measured",
            "timeout" => run.Reason ?? $"it was stopped by its time limit after {run.Seconds:0} s",
            _ => run.Reason ?? (run.ExitCode is int code ? $"it exited with status {code}" : "it failed"),
        };
        if (problem is not null)
        {
            return new SuiteSection(run.Suite, run.Title, run.Command, run.Status, run.Seconds, problem, run.Log, null);
        }

        if (fragmentPath is null || !File.Exists(fragmentPath))
        {
            return new SuiteSection(run.Suite, run.Title, run.Command, "failed", run.Seconds, "it exited with status 0 but wrote no result fragment", run.Log, null);
        }

        SuiteSection read = FromFile(fragmentPath, figureFiles);
        return read.Succeeded
            ? read with { Seconds = run.Seconds, Log = run.Log }
            : read with { Suite = run.Suite, Title = run.Title, Command = run.Command, Seconds = run.Seconds, Log = run.Log };
    }

    private static SuiteSection FromFile(string path, HashSet<string> figureFiles)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        try
        {
            Fragment fragment = FragmentReader.Read(path);
            foreach (Figure figure in fragment.Figures)
            {
                if (!figureFiles.Add(figure.File))
                {
                    throw new FragmentException($"{path}: figure file '{figure.File}' is already used by another suite");
                }
            }

            return new SuiteSection(fragment.Suite, fragment.Title, fragment.Command, "ok", fragment.Seconds, null, null, fragment);
        }
        catch (FragmentException e)
        {
            return new SuiteSection(name, name, string.Empty, "failed", 0, $"its result fragment is malformed: {e.Message}", null, null);
        }
    }
}
