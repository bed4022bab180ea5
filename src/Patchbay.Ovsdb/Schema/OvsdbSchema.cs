// The <database-schema> of RFC 7047 section 3.2 as returned by get_schema: tables, columns and column types.
using System.Text.Json;
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Schema;

public enum OvsdbAtomicType
{
    Integer,
    Real,
    Boolean,
    String,
    Uuid,
}

public sealed record OvsdbSchema(string Name, string Version, IReadOnlyDictionary<string, OvsdbTableSchema> Tables)
{
    public OvsdbTableSchema Table(string name) =>
        Tables.TryGetValue(name, out OvsdbTableSchema? table) ? table : throw new KeyNotFoundException($"schema {Name} has no table '{name}'");

    public static OvsdbSchema Parse(JsonNode? json)
    {
        JsonObject schema = Object(json, "schema");
        return new OvsdbSchema(
            String(schema["name"], "schema name"),
            schema["version"] is JsonNode version ? String(version, "schema version") : string.Empty,
            Object(schema["tables"], "tables").ToDictionary(t => t.Key, t => OvsdbTableSchema.Parse(t.Key, t.Value), StringComparer.Ordinal));
    }

    internal static JsonObject Object(JsonNode? json, string what) =>
        json as JsonObject ?? OvsdbException.ThrowProtocol<JsonObject>($"{what} is not a JSON object");

    internal static string String(JsonNode? json, string what) =>
        json is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : OvsdbException.ThrowProtocol<string>($"{what} is not a string");

    internal static bool Boolean(JsonNode? json, bool absent) =>
        json is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : absent;
}

public sealed record OvsdbTableSchema(
    string Name,
    IReadOnlyDictionary<string, OvsdbColumnSchema> Columns,
    bool IsRoot,
    long? MaxRows,
    IReadOnlyList<IReadOnlyList<string>> Indexes)
{
    public OvsdbColumnSchema Column(string name) =>
        Columns.TryGetValue(name, out OvsdbColumnSchema? column) ? column : throw new KeyNotFoundException($"table {Name} has no column '{name}'");

    internal static OvsdbTableSchema Parse(string name, JsonNode? json)
    {
        JsonObject table = OvsdbSchema.Object(json, $"table {name}");
        return new OvsdbTableSchema(
            name,
            OvsdbSchema.Object(table["columns"], $"columns of {name}")
                .ToDictionary(c => c.Key, c => OvsdbColumnSchema.Parse(c.Key, c.Value), StringComparer.Ordinal),
            OvsdbSchema.Boolean(table["isRoot"], absent: false),
            table["maxRows"] is JsonValue max ? max.GetValue<long>() : null,
            table["indexes"] is JsonArray indexes
                ? [.. indexes.Select(i => (IReadOnlyList<string>)[.. (i as JsonArray ?? []).Select(c => OvsdbSchema.String(c, "index column"))])]
                : []);
    }
}

public sealed record OvsdbColumnSchema(string Name, OvsdbColumnType Type, bool Ephemeral, bool Mutable)
{
    internal static OvsdbColumnSchema Parse(string name, JsonNode? json)
    {
        JsonObject column = OvsdbSchema.Object(json, $"column {name}");
        return new OvsdbColumnSchema(
            name,
            OvsdbColumnType.Parse(column["type"]),
            OvsdbSchema.Boolean(column["ephemeral"], absent: false),
            OvsdbSchema.Boolean(column["mutable"], absent: true));
    }
}

/// <summary>A column's &lt;type&gt;: key (and value for a map) base types with the element count bounds.</summary>
public sealed record OvsdbColumnType(OvsdbBaseType Key, OvsdbBaseType? Value, long Min, long Max)
{
    /// <summary>The value of <see cref="Max"/> for "unlimited".</summary>
    public const long Unlimited = long.MaxValue;

    public bool IsMap => Value is not null;

    /// <summary>Exactly one atom. Every other column is a set or map, and update2 "modify" diffs apply to it element-wise.</summary>
    public bool IsScalar => Value is null && Min == 1 && Max == 1;

    internal static OvsdbColumnType Parse(JsonNode? json)
    {
        if (json is JsonValue)
        {
            return new OvsdbColumnType(OvsdbBaseType.Parse(json), null, 1, 1);
        }

        JsonObject type = OvsdbSchema.Object(json, "column type");
        long max = type["max"] switch
        {
            null => 1,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "unlimited" => Unlimited,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
            var other => OvsdbException.ThrowProtocol<long>($"column max {other.ToJsonString()} is invalid"),
        };
        return new OvsdbColumnType(
            OvsdbBaseType.Parse(type["key"]),
            type["value"] is JsonNode value ? OvsdbBaseType.Parse(value) : null,
            type["min"] is JsonValue min ? min.GetValue<long>() : 1,
            max);
    }
}

/// <summary>An atomic type with its constraints: enum, refTable/refType for uuids, integer and string bounds.</summary>
public sealed record OvsdbBaseType(
    OvsdbAtomicType Type,
    IReadOnlyList<OvsdbAtom>? Enum = null,
    string? RefTable = null,
    bool IsWeakReference = false,
    long? MinInteger = null,
    long? MaxInteger = null)
{
    internal static OvsdbBaseType Parse(JsonNode? json)
    {
        if (json is JsonValue)
        {
            return new OvsdbBaseType(ParseAtomicType(OvsdbSchema.String(json, "atomic type")));
        }

        JsonObject type = OvsdbSchema.Object(json, "base type");
        return new OvsdbBaseType(
            ParseAtomicType(OvsdbSchema.String(type["type"], "atomic type")),
            type["enum"] is JsonNode e ? OvsdbValue.FromJson(e).AsSet() : null,
            type["refTable"] is JsonNode refTable ? OvsdbSchema.String(refTable, "refTable") : null,
            type["refType"] is JsonNode refType && OvsdbSchema.String(refType, "refType") == "weak",
            type["minInteger"] is JsonValue minInteger ? minInteger.GetValue<long>() : null,
            type["maxInteger"] is JsonValue maxInteger ? maxInteger.GetValue<long>() : null);
    }

    private static OvsdbAtomicType ParseAtomicType(string name) => name switch
    {
        "integer" => OvsdbAtomicType.Integer,
        "real" => OvsdbAtomicType.Real,
        "boolean" => OvsdbAtomicType.Boolean,
        "string" => OvsdbAtomicType.String,
        "uuid" => OvsdbAtomicType.Uuid,
        _ => OvsdbException.ThrowProtocol<OvsdbAtomicType>($"'{name}' is not an atomic type"),
    };
}
