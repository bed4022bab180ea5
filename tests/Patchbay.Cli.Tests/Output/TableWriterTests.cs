// Tables: columns aligned three spaces apart, no trailing blanks, missing fields as "-", labels as k=v pairs.
using System.Text.Json.Nodes;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Tests.Output;

public sealed class TableWriterTests
{
    [Fact]
    public async Task Write_CellsOfDifferentWidths_AlignedWithoutTrailingBlanks()
    {
        using var output = new StringWriter();

        await TableWriter.WriteAsync(output, ["NAME", "IP", "LABELS"], [["c1", "10.10.0.2", "-"], ["web-frontend", "10.10.0.10", "a=b"]]);

        Assert.Equal(
            "NAME           IP           LABELS\n" +
            "c1             10.10.0.2    -\n" +
            "web-frontend   10.10.0.10   a=b\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Text_NodesOfEveryKind_OneCellEach()
    {
        var node = JsonNode.Parse("""{"s": "x", "e": "", "n": null, "i": 42, "b": false, "o": {"a": "1", "b": "2"}, "eo": {}, "l": ["p", "q"]}""")!.AsObject();

        Assert.Equal(
            ["x", "-", "-", "42", "false", "a=1,b=2", "-", "p,q", "-"],
            new[] { "s", "e", "n", "i", "b", "o", "eo", "l", "missing" }.Select(k => Column.Text(node[k])));
    }
}
