// One report: read the run's manifest and fragments, draw every figure of every suite with results, then
// write the markdown. Stale figures of an earlier run are removed first, so the directory matches the text.
namespace Patchbay.BenchReport;

public static class ReportWriter
{
    public const string FigureDirectoryName = "benchmarks";

    public sealed record Result(int Sections, int Succeeded, int Figures, IReadOnlyList<string> Problems);

    public static Result Write(string resultsDirectory, string markdownFile)
    {
        RunManifest manifest = FragmentReader.ReadManifest(Path.Combine(resultsDirectory, SuiteSection.ManifestFileName));
        IReadOnlyList<SuiteSection> sections = SuiteSection.Load(resultsDirectory, manifest);
        string figureDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(markdownFile))!, FigureDirectoryName);
        Directory.CreateDirectory(figureDirectory);
        foreach (string stale in Directory.EnumerateFiles(figureDirectory, "*.png"))
        {
            File.Delete(stale);
        }

        int figures = 0;
        foreach (SuiteSection section in sections.Where(s => s.Succeeded))
        {
            foreach (Figure figure in section.Fragment!.Figures)
            {
                FigureWriter.Write(figure, figureDirectory);
                figures++;
            }
        }

        File.WriteAllText(markdownFile, MarkdownReport.Render(manifest, sections, FigureDirectoryName));
        List<string> problems = [.. sections.Where(s => !s.Succeeded).Select(s => $"{s.Suite}: {s.Problem}")];
        return new Result(sections.Count, sections.Count(s => s.Succeeded), figures, problems);
    }
}
