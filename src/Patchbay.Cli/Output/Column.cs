// A table column: its header and how to read its cell from one JSON object of the API.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Patchbay.Cli.Output;

internal sealed record Column(string Header, Func<JsonObject, string> Cell)
{
    /// <summary>What a table shows for a field the object does not have or that is null.</summary>
    public const string Missing = "-";

    /// <summary>The property <paramref name="name"/> of the object.</summary>
    public static Column Field(string header, string name) => new(header, o => Text(o[name]));

    /// <summary>A scalar as text; an object as k=v pairs (labels); an array comma-joined.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => Missing,
        JsonObject map => map.Count == 0 ? Missing : string.Join(',', map.Select(p => p.Key + "=" + Text(p.Value))),
        JsonArray list => list.Count == 0 ? Missing : string.Join(',', list.Select(Text)),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } text ? text : Missing,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => Missing,
            _ => value.ToJsonString(),
        },
        _ => Convert.ToString(node, CultureInfo.InvariantCulture) ?? Missing,
    };
}
