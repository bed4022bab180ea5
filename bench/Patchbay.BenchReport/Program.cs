// Patchbay.BenchReport: turns one `make bench` run (bench/results/run.json and the suites' fragments, see
// bench/README.md) into BENCHMARKS.md and its figures (benchmarks/*.png next to it). Exit status 1 when a
// suite has no results (failed, timed out, not present, malformed fragment); the report is written anyway.
using System.CommandLine;
using Patchbay.BenchReport;

var results = new Option<string>("--results") { Description = "Directory with run.json and the suites' fragments", DefaultValueFactory = _ => "bench/results" };
var output = new Option<string>("--out") { Description = "The markdown file to write; figures go to a benchmarks/ directory next to it", DefaultValueFactory = _ => "BENCHMARKS.md" };
var root = new RootCommand("Writes BENCHMARKS.md and its PNG figures from the result fragments of one `make bench` run.\n\nExamples:\n  Patchbay.BenchReport\n  Patchbay.BenchReport --results /tmp/run --out /tmp/BENCHMARKS.md")
{
    results, output,
};
root.SetAction(parse =>
{
    string resultsDirectory = parse.GetRequiredValue(results);
    string outFile = Path.GetFullPath(parse.GetRequiredValue(output));
    try
    {
        ReportWriter.Result result = ReportWriter.Write(resultsDirectory, outFile);
        Console.WriteLine($"bench-report: wrote {outFile} and {result.Figures} figures; {result.Succeeded} of {result.Sections} suites have results");
        foreach (string problem in result.Problems)
        {
            Console.Error.WriteLine($"bench-report: {problem}");
        }

        return result.Problems.Count == 0 ? 0 : 1;
    }
    catch (FragmentException e)
    {
        Console.Error.WriteLine($"bench-report: {e.Message}");
        return 2;
    }
});
return await root.Parse(args).InvokeAsync();
