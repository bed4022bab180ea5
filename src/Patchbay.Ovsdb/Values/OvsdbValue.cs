// The OVSDB value model of RFC 7047 section 5.1: atoms (string, integer, real, boolean, ["uuid",..],
// ["named-uuid",..]), ["set",[..]] and ["map",[[k,v],..]], with conversion to and from JSON.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.JsonRpc;

namespace Patchbay.Ovsdb.Values;

public abstract record OvsdbValue
{
    public static OvsdbSet EmptySet { get; } = new([]);

    public static OvsdbMap EmptyMap { get; } = new([]);

    public static OvsdbString String(string value) => new(value);

    public static OvsdbInteger Integer(long value) => new(value);

    public static OvsdbReal Real(double value) => new(value);

    public static OvsdbBoolean Boolean(bool value) => new(value);

    public static OvsdbUuid Uuid(Guid value) => new(value);

    public static OvsdbNamedUuid NamedUuid(string name) => new(name);

    public static OvsdbSet Set(params OvsdbAtom[] items) => new(items);

    public static OvsdbSet Set(IEnumerable<OvsdbAtom> items) => new([.. items]);

    public static OvsdbSet StringSet(IEnumerable<string> items) => new([.. items.Select(s => (OvsdbAtom)new OvsdbString(s))]);

    /// <summary>An optional column value (min 0, max 1): the empty set for null, else a one-element set.</summary>
    public static OvsdbSet Optional(OvsdbAtom? atom) => atom is null ? EmptySet : new OvsdbSet([atom]);

    public static OvsdbMap Map(IEnumerable<KeyValuePair<OvsdbAtom, OvsdbAtom>> entries) => new([.. entries]);

    public static OvsdbMap StringMap(IEnumerable<KeyValuePair<string, string>> entries) =>
        new([.. entries.Select(e => new KeyValuePair<OvsdbAtom, OvsdbAtom>(new OvsdbString(e.Key), new OvsdbString(e.Value)))]);

    /// <summary>The elements of a set; an atom is a one-element set (RFC 7047 section 5.1 allows either form).</summary>
    public IReadOnlyList<OvsdbAtom> AsSet() => this switch
    {
        OvsdbSet set => set.Items,
        OvsdbAtom atom => [atom],
        _ => throw new InvalidCastException($"{this} is a map, not a set"),
    };

    /// <summary>The string held by a string atom or by a one-element set; null for an empty set.</summary>
    public string? AsOptionalString() => AsOptionalAtom() switch
    {
        null => null,
        OvsdbString s => s.Value,
        var other => throw new InvalidCastException($"{other} is not a string"),
    };

    public string AsString() => AsOptionalString() ?? throw new InvalidCastException("the value is an empty set, not a string");

    public long? AsOptionalInteger() => AsOptionalAtom() switch
    {
        null => null,
        OvsdbInteger i => i.Value,
        var other => throw new InvalidCastException($"{other} is not an integer"),
    };

    public long AsInteger() => AsOptionalInteger() ?? throw new InvalidCastException("the value is an empty set, not an integer");

    public Guid AsUuid() => AsOptionalAtom() switch
    {
        OvsdbUuid u => u.Value,
        var other => throw new InvalidCastException($"{other?.ToString() ?? "the empty set"} is not a uuid"),
    };

    public IReadOnlyList<Guid> AsUuidSet() => [.. AsSet().Select(a => a.AsUuid())];

    public IReadOnlyList<string> AsStringSet() => [.. AsSet().Select(a => a.AsString())];

    /// <summary>A map of string keys to string values (external_ids, other_config).</summary>
    public IReadOnlyDictionary<string, string> AsStringMap() => this switch
    {
        OvsdbMap map => map.Entries.ToDictionary(e => e.Key.AsString(), e => e.Value.AsString(), StringComparer.Ordinal),
        OvsdbSet { Items.Count: 0 } => new Dictionary<string, string>(StringComparer.Ordinal),
        _ => throw new InvalidCastException($"{this} is not a map"),
    };

    public abstract JsonNode ToJson();

    public string ToJsonString() => OvsdbJsonText.Write(ToJson());

    /// <summary>Reads any &lt;value&gt; of RFC 7047 section 5.1; throws <see cref="OvsdbException"/> for anything else.</summary>
    public static OvsdbValue FromJson(JsonNode? json)
    {
        if (json is JsonArray array && array.Count == 2 && array[0] is JsonValue tag && tag.GetValueKind() == JsonValueKind.String)
        {
            switch (tag.GetValue<string>())
            {
                case "set":
                    return new OvsdbSet([.. ElementsOf(array[1], "set").Select(AtomFromJson)]);
                case "map":
                    return new OvsdbMap([.. ElementsOf(array[1], "map").Select(PairFromJson)]);
                default:
                    break;
            }
        }

        return AtomFromJson(json);
    }

    public static OvsdbAtom AtomFromJson(JsonNode? json)
    {
        switch (json)
        {
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return new OvsdbString(value.GetValue<string>());
                    case JsonValueKind.True:
                        return new OvsdbBoolean(true);
                    case JsonValueKind.False:
                        return new OvsdbBoolean(false);
                    case JsonValueKind.Number:
                        JsonElement number = value.GetValue<JsonElement>();
                        return number.TryGetInt64(out long integer) ? new OvsdbInteger(integer) : new OvsdbReal(number.GetDouble());
                    default:
                        break;
                }

                break;
            case JsonArray { Count: 2 } array when array[0] is JsonValue tag && array[1] is JsonValue text
                && tag.GetValueKind() == JsonValueKind.String && text.GetValueKind() == JsonValueKind.String:
                string s = text.GetValue<string>();
                switch (tag.GetValue<string>())
                {
                    case "uuid":
                        return Guid.TryParseExact(s, "D", out Guid uuid)
                            ? new OvsdbUuid(uuid)
                            : OvsdbException.ThrowProtocol<OvsdbAtom>($"'{s}' is not a uuid");
                    case "named-uuid":
                        return new OvsdbNamedUuid(s);
                    default:
                        break;
                }

                break;
            default:
                break;
        }

        return OvsdbException.ThrowProtocol<OvsdbAtom>($"{json?.ToJsonString() ?? "null"} is not an OVSDB atom");
    }

    /// <summary>A set or map holds at most one element per key, so its members compare as an unordered collection.</summary>
    private protected static bool SameMembers<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) =>
        a.Count == b.Count && a.All(b.Contains);

    private static JsonArray ElementsOf(JsonNode? json, string kind) =>
        json as JsonArray ?? OvsdbException.ThrowProtocol<JsonArray>($"the elements of a {kind} must be an array");

    private static KeyValuePair<OvsdbAtom, OvsdbAtom> PairFromJson(JsonNode? json) =>
        json is JsonArray { Count: 2 } pair
            ? new(AtomFromJson(pair[0]), AtomFromJson(pair[1]))
            : OvsdbException.ThrowProtocol<KeyValuePair<OvsdbAtom, OvsdbAtom>>($"{json?.ToJsonString() ?? "null"} is not a [key, value] pair");

    private OvsdbAtom? AsOptionalAtom() => this switch
    {
        OvsdbAtom atom => atom,
        OvsdbSet { Items.Count: 0 } => null,
        OvsdbSet { Items.Count: 1 } set => set.Items[0],
        _ => throw new InvalidCastException($"{ToJsonString()} is not a single atom"),
    };
}

/// <summary>One scalar of type integer, real, boolean, string or uuid (plus named-uuid inside a transaction).</summary>
public abstract record OvsdbAtom : OvsdbValue;

public sealed record OvsdbString(string Value) : OvsdbAtom
{
    public override JsonNode ToJson() => JsonValue.Create(Value);
}

public sealed record OvsdbInteger(long Value) : OvsdbAtom
{
    public override JsonNode ToJson() => JsonValue.Create(Value);
}

public sealed record OvsdbReal(double Value) : OvsdbAtom
{
    public override JsonNode ToJson() => JsonValue.Create(Value);
}

public sealed record OvsdbBoolean(bool Value) : OvsdbAtom
{
    public override JsonNode ToJson() => JsonValue.Create(Value);
}

public sealed record OvsdbUuid(Guid Value) : OvsdbAtom
{
    public override JsonNode ToJson() => new JsonArray("uuid", Value.ToString("D", CultureInfo.InvariantCulture));
}

/// <summary>A row inserted earlier in the same transaction, named by the insert's "uuid-name".</summary>
public sealed record OvsdbNamedUuid(string Name) : OvsdbAtom
{
    public override JsonNode ToJson() => new JsonArray("named-uuid", Name);
}

public sealed record OvsdbSet(IReadOnlyList<OvsdbAtom> Items) : OvsdbValue
{
    public override JsonNode ToJson() => new JsonArray("set", new JsonArray([.. Items.Select(i => i.ToJson())]));

    public bool Equals(OvsdbSet? other) => other is not null && SameMembers(Items, other.Items);

    public override int GetHashCode() => Items.Aggregate(Items.Count, (h, i) => h ^ i.GetHashCode());
}

public sealed record OvsdbMap(IReadOnlyList<KeyValuePair<OvsdbAtom, OvsdbAtom>> Entries) : OvsdbValue
{
    public override JsonNode ToJson() =>
        new JsonArray("map", new JsonArray([.. Entries.Select(e => (JsonNode)new JsonArray(e.Key.ToJson(), e.Value.ToJson()))]));

    public bool Equals(OvsdbMap? other) => other is not null && SameMembers(Entries, other.Entries);

    public override int GetHashCode() => Entries.Aggregate(Entries.Count, (h, e) => h ^ e.GetHashCode());
}
