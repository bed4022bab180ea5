// Recursive comparison of an expected os-ken decoding with our projection, reporting the JSON path of
// the first difference. A projection marks parts Patchbay keeps opaque with OsKenJson.Opaque; those
// match anything, and the byte-exact round trip is what checks them.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Patchbay.OpenFlow.Tests.Golden;

public static class JsonDiff
{
    /// <summary>Null when equal, else "path: what differs".</summary>
    public static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (OsKenJson.IsOpaque(actual))
        {
            return null;
        }

        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (null, _):
                return $"{path}: expected null, got {actual!.ToJsonString()}";
            case (_, null):
                return $"{path}: expected {Short(expected)}, got null";
            case (JsonObject e, JsonObject a):
                return ObjectDifference(e, a, path);
            case (JsonArray e, JsonArray a):
                return ArrayDifference(e, a, path);
            case (JsonObject e, JsonValue) when e.Count == 1 && e.ContainsKey("Packet"):
                // os-ken parsed this frame with its packet library; Patchbay keeps packet data as bytes.
                return null;
            case (JsonValue e, JsonValue a):
                return ValuesEqual(e, a) ? null : $"{path}: expected {e.ToJsonString()}, got {a.ToJsonString()}";
            default:
                return $"{path}: expected {Short(expected)}, got {Short(actual)}";
        }
    }

    private static string? ObjectDifference(JsonObject expected, JsonObject actual, string path)
    {
        if (OsKenJson.IsPartial(actual, out string classPrefix, out JsonObject knownFields))
        {
            return PartialDifference(expected, classPrefix, knownFields, path);
        }

        foreach ((string key, JsonNode? value) in expected)
        {
            if (!actual.TryGetPropertyValue(key, out JsonNode? other))
            {
                return $"{path}.{key}: missing from our decoding (expected {Short(value)})";
            }

            string? difference = FirstDifference(value, other, $"{path}.{key}");
            if (difference is not null)
            {
                return difference;
            }
        }

        foreach ((string key, JsonNode? value) in actual)
        {
            if (!expected.ContainsKey(key))
            {
                return $"{path}.{key}: not in os-ken's decoding (we have {Short(value)})";
            }
        }

        return null;
    }

    private static string? PartialDifference(JsonObject expected, string classPrefix, JsonObject knownFields, string path)
    {
        if (expected.Count != 1 || !expected.First().Key.StartsWith(classPrefix, StringComparison.Ordinal))
        {
            return $"{path}: expected {Short(expected)}, got a {classPrefix}* object";
        }

        (string key, JsonNode? value) = expected.First();
        if (value is not JsonObject fields)
        {
            return $"{path}.{key}: expected {Short(value)}, got an object";
        }

        foreach ((string field, JsonNode? ours) in knownFields)
        {
            if (!fields.TryGetPropertyValue(field, out JsonNode? theirs))
            {
                return $"{path}.{key}.{field}: not in os-ken's decoding (we have {Short(ours)})";
            }

            string? difference = FirstDifference(theirs, ours, $"{path}.{key}.{field}");
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? ArrayDifference(JsonArray expected, JsonArray actual, string path)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            string? difference = FirstDifference(expected[i], actual[i], $"{path}[{i}]");
            if (difference is not null)
            {
                return difference;
            }
        }

        return expected.Count == actual.Count ? null : $"{path}: expected {expected.Count} elements, got {actual.Count}";
    }

    private static bool ValuesEqual(JsonValue expected, JsonValue actual)
    {
        JsonElement e = JsonSerializer.SerializeToElement(expected);
        JsonElement a = JsonSerializer.SerializeToElement(actual);
        if (e.ValueKind == JsonValueKind.Number && a.ValueKind == JsonValueKind.Number)
        {
            // os-ken prints u64 fields in full; compare as decimals so 2^64-1 is exact.
            return decimal.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == decimal.Parse(a.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (e.ValueKind == JsonValueKind.String && a.ValueKind == JsonValueKind.String)
        {
            return e.GetString() == a.GetString();
        }

        return e.ValueKind == a.ValueKind && e.GetRawText() == a.GetRawText();
    }

    private static string Short(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");
    }
}
