// A table row as the server returns it: column name to value, with typed accessors for the common column shapes.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.JsonRpc;

namespace Patchbay.Ovsdb.Values;

public sealed class OvsdbRow
{
    private readonly Dictionary<string, OvsdbValue> _columns;

    public OvsdbRow(IEnumerable<KeyValuePair<string, OvsdbValue>> columns)
    {
        _columns = new Dictionary<string, OvsdbValue>(columns, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, OvsdbValue> Columns => _columns;

    /// <summary>The row's "_uuid" column; throws when the row was selected without it.</summary>
    public Guid Uuid => Get("_uuid").AsUuid();

    public bool TryGet(string column, out OvsdbValue? value) => _columns.TryGetValue(column, out value);

    public OvsdbValue Get(string column) =>
        _columns.TryGetValue(column, out OvsdbValue? value) ? value : throw new KeyNotFoundException($"the row has no column '{column}'");

    public string GetString(string column) => Get(column).AsString();

    public string? GetOptionalString(string column) => Get(column).AsOptionalString();

    public long? GetOptionalInteger(string column) => Get(column).AsOptionalInteger();

    public IReadOnlyList<Guid> GetUuidSet(string column) => Get(column).AsUuidSet();

    public IReadOnlyList<string> GetStringSet(string column) => Get(column).AsStringSet();

    public IReadOnlyDictionary<string, string> GetStringMap(string column) => Get(column).AsStringMap();

    /// <summary>A copy of this row with the given columns replaced (the others kept).</summary>
    public OvsdbRow With(IEnumerable<KeyValuePair<string, OvsdbValue>> changes)
    {
        var copy = new Dictionary<string, OvsdbValue>(_columns, StringComparer.Ordinal);
        foreach (KeyValuePair<string, OvsdbValue> change in changes)
        {
            copy[change.Key] = change.Value;
        }

        return new OvsdbRow(copy);
    }

    public JsonObject ToJson() => new([.. _columns.Select(c => new KeyValuePair<string, JsonNode?>(c.Key, c.Value.ToJson()))]);

    public static OvsdbRow FromJson(JsonNode? json) =>
        json is JsonObject obj
            ? new OvsdbRow(obj.Select(c => new KeyValuePair<string, OvsdbValue>(c.Key, OvsdbValue.FromJson(c.Value))))
            : OvsdbException.ThrowProtocol<OvsdbRow>($"{json?.ToJsonString() ?? "null"} is not a row object");

    public override string ToString() => OvsdbJsonText.Write(ToJson());
}
