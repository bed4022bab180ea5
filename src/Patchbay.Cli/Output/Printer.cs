// Writes API objects in the chosen format: json is the API's own JSON (a list as {"items": [...]}), yaml the same
// tree as YAML, table the columns of the resource (a list or one created object) or FIELD/VALUE rows for inspect.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Patchbay.Cli.Output;

internal static class Printer
{
    // Relaxed escaping keeps "+00:00" and non-ASCII readable; the output goes to a terminal or a file, not into HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteListAsync(TextWriter output, OutputFormat format, JsonArray items, string? continueToken, IReadOnlyList<Column> columns)
    {
        if (format == OutputFormat.Table)
        {
            await WriteRowsAsync(output, items.OfType<JsonObject>().ToList(), columns);
            return;
        }

        var list = new JsonObject { ["items"] = items };
        if (continueToken is not null)
        {
            list["continue"] = continueToken;
        }

        await WriteTreeAsync(output, format, list);
    }

    /// <summary>One object (what a create or a label change answered) as a one-row table, or as JSON/YAML.</summary>
    public static async Task WriteOneAsync(TextWriter output, OutputFormat format, JsonNode node, IReadOnlyList<Column> columns)
    {
        if (format == OutputFormat.Table)
        {
            await WriteRowsAsync(output, node is JsonObject o ? [o] : [], columns);
            return;
        }

        await WriteTreeAsync(output, format, node);
    }

    /// <summary>Every field of one object (inspect): FIELD/VALUE rows in the API's order, or JSON/YAML.</summary>
    public static async Task WriteDetailsAsync(TextWriter output, OutputFormat format, JsonNode node)
    {
        if (format == OutputFormat.Table)
        {
            var rows = node is JsonObject o ? o.Select(p => (IReadOnlyList<string>)[p.Key, Column.Text(p.Value)]).ToList() : [];
            await TableWriter.WriteAsync(output, ["FIELD", "VALUE"], rows);
            return;
        }

        await WriteTreeAsync(output, format, node);
    }

    public static string Json(JsonNode node) => node.ToJsonString(Indented);

    private static Task WriteRowsAsync(TextWriter output, IReadOnlyList<JsonObject> objects, IReadOnlyList<Column> columns) =>
        TableWriter.WriteAsync(output, [.. columns.Select(c => c.Header)], [.. objects.Select(o => (IReadOnlyList<string>)[.. columns.Select(c => c.Cell(o))])]);

    private static async Task WriteTreeAsync(TextWriter output, OutputFormat format, JsonNode node)
    {
        if (format == OutputFormat.Json)
        {
            await output.WriteLineAsync(Json(node));
        }
        else
        {
            await output.WriteAsync(YamlWriter.Write(node));
        }
    }
}
