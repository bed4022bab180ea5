// <condition> and <mutation> of RFC 7047 sections 5.1: [column, function, value] and [column, mutator, value].
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Operations;

public sealed record OvsdbCondition(string Column, string Function, OvsdbValue Value)
{
    public static OvsdbCondition Equal(string column, OvsdbValue value) => new(column, "==", value);

    public static OvsdbCondition NotEqual(string column, OvsdbValue value) => new(column, "!=", value);

    public static OvsdbCondition LessThan(string column, OvsdbValue value) => new(column, "<", value);

    public static OvsdbCondition GreaterThan(string column, OvsdbValue value) => new(column, ">", value);

    /// <summary>True when the column's set or map contains every element of <paramref name="value"/>.</summary>
    public static OvsdbCondition Includes(string column, OvsdbValue value) => new(column, "includes", value);

    public static OvsdbCondition Excludes(string column, OvsdbValue value) => new(column, "excludes", value);

    public static OvsdbCondition UuidIs(Guid uuid) => Equal("_uuid", OvsdbValue.Uuid(uuid));

    public static OvsdbCondition NameIs(string name) => Equal("name", OvsdbValue.String(name));

    public JsonNode ToJson() => new JsonArray(Column, Function, Value.ToJson());
}

public sealed record OvsdbMutation(string Column, string Mutator, OvsdbValue Value)
{
    /// <summary>Adds elements to a set or pairs to a map without touching the others (keys already present keep their value).</summary>
    public static OvsdbMutation Insert(string column, OvsdbValue value) => new(column, "insert", value);

    /// <summary>Removes elements from a set; from a map, removes the keys of a set or the matching pairs of a map.</summary>
    public static OvsdbMutation Delete(string column, OvsdbValue value) => new(column, "delete", value);

    public static OvsdbMutation Add(string column, long value) => new(column, "+=", OvsdbValue.Integer(value));

    public static OvsdbMutation Subtract(string column, long value) => new(column, "-=", OvsdbValue.Integer(value));

    public JsonNode ToJson() => new JsonArray(Column, Mutator, Value.ToJson());
}
