// FragmentReader: a good fragment reads whole; every malformed one is refused with the file and the field.
namespace Patchbay.BenchReport.Tests;

public sealed class FragmentReaderTests
{
    [Fact]
    public void Read_ValidFragment_ReturnsTablesFiguresAndNotes()
    {
        using var dir = new ResultsDirectory();
        Fragment f = FragmentReader.Read(dir.Write("controllers.json", ResultsDirectory.Controllers));

        Assert.Equal("controllers", f.Suite);
        Assert.Equal(98.7, f.Seconds);
        Assert.Equal(["controller", "responses/s", "÷ os-ken"], f.Tables[0].Columns);
        Assert.Equal(["os-ken", "8,033", "1.00×"], f.Tables[0].Rows[0]);
        Assert.Equal([FigureKind.Bars, FigureKind.Cdf, FigureKind.Bars, FigureKind.Line], f.Figures.Select(x => x.Kind));
        Assert.Equal("os-ken", f.Figures[0].Baseline);
        Assert.Equal(["throughput", "latency"], f.Figures[2].Series[1].Categories);
        Assert.Equal([1.0, 16, 64], f.Figures[3].Series[0].X);
        Assert.Equal(["os-ken lost 1,024 PACKET_INs."], f.Notes);
    }

    [Fact]
    public void Read_NotJson_NamesTheFileAndLine()
    {
        using var dir = new ResultsDirectory();
        string path = dir.Write("broken.json", "{\n  \"suite\": \"x\",\n  oops\n}");

        var e = Assert.Throws<FragmentException>(() => FragmentReader.Read(path));

        Assert.StartsWith(path + ": not a valid fragment at line 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "title": "t", "command": "c", "seconds": 1, "summary": "s" }""", "\"suite\" is missing")]
    [InlineData("""{ "suite": "a b", "title": "t", "command": "c", "seconds": 1, "summary": "s" }""", "\"suite\" must be file-name safe")]
    [InlineData("""{ "suite": "a", "command": "c", "seconds": 1, "summary": "s" }""", "\"title\" is missing")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "summary": "s" }""", "\"seconds\" is missing")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "tables": [ { "columns": ["x", "y"], "rows": [["1"]] } ] }""", "tables[0].rows[0] has 1 cells for 2 columns")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "tables": [ { "columns": ["x"], "rows": [[{}]] } ] }""", "tables[0].rows[0][0] must be a string or a number")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "pie", "title": "t", "series": [ { "name": "n", "y": [1] } ] } ] }""", "figures[0].kind must be bars, cdf or line, not 'pie'")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "../f", "kind": "bars", "title": "t", "series": [ { "name": "n", "y": [1] } ] } ] }""", "figures[0].file must be a file-name safe base name")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "bars", "title": "t", "baseline": "peer", "series": [ { "name": "n", "y": [1] } ] } ] }""", "figures[0].baseline 'peer' names no series")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "bars", "title": "t", "series": [ { "name": "n", "y": [1, 2] } ] } ] }""", "bars without x categories take exactly one y, not 2")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "line", "title": "t", "series": [ { "name": "n", "x": ["a"], "y": [1] } ] } ] }""", "figures[0].series[0].x[0] must be a number for a line")]
    [InlineData("""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "cdf", "title": "t", "series": [ { "name": "n", "y": [] } ] } ] }""", "figures[0].series[0].y is missing or empty")]
    public void Read_MalformedFragment_NamesTheFileAndTheField(string json, string expected)
    {
        using var dir = new ResultsDirectory();
        string path = dir.Write("bad.json", json);

        var e = Assert.Throws<FragmentException>(() => FragmentReader.Read(path));

        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CdfOverTheSampleCap_IsRefused()
    {
        using var dir = new ResultsDirectory();
        string samples = string.Join(",", Enumerable.Repeat("1.5", FragmentReader.MaxSamplesPerSeries + 1));
        string path = dir.Write("big.json", $$"""{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "figures": [ { "file": "f", "kind": "cdf", "title": "t", "series": [ { "name": "n", "y": [{{samples}}] } ] } ] }""");

        var e = Assert.Throws<FragmentException>(() => FragmentReader.Read(path));

        Assert.Contains("5001 samples, more than 5000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumberCells_BecomeInvariantText()
    {
        using var dir = new ResultsDirectory();
        string path = dir.Write("n.json", """{ "suite": "a", "title": "t", "command": "c", "seconds": 1, "summary": "s", "tables": [ { "columns": ["x", "y"], "rows": [[0.46, 1200]] } ] }""");

        Assert.Equal(["0.46", "1200"], FragmentReader.Read(path).Tables[0].Rows[0]);
    }
}
