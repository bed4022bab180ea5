// The RFC 7047 section 5.1 value notation both ways, and the typed accessors.
using System.Text.Json.Nodes;
using FsCheck;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Tests.Values;

public sealed class OvsdbValueTests
{
    private static readonly Guid SomeUuid = Guid.Parse("36bd4b35-5b73-4e5c-b1d9-7d4e4b0f3a11");

    public static TheoryData<string, OvsdbValue> Notations => new()
    {
        { "\"br0\"", OvsdbValue.String("br0") },
        { "42", OvsdbValue.Integer(42) },
        { "-1", OvsdbValue.Integer(-1) },
        { "2.5", OvsdbValue.Real(2.5) },
        { "true", OvsdbValue.Boolean(true) },
        { "[\"uuid\",\"36bd4b35-5b73-4e5c-b1d9-7d4e4b0f3a11\"]", OvsdbValue.Uuid(SomeUuid) },
        { "[\"named-uuid\",\"row1\"]", OvsdbValue.NamedUuid("row1") },
        { "[\"set\",[]]", OvsdbValue.EmptySet },
        { "[\"set\",[\"OpenFlow13\",\"OpenFlow15\"]]", OvsdbValue.StringSet(["OpenFlow13", "OpenFlow15"]) },
        { "[\"map\",[[\"datapath-id\",\"00000000000000a1\"]]]", OvsdbValue.StringMap([new("datapath-id", "00000000000000a1")]) },
    };

    [Theory]
    [MemberData(nameof(Notations))]
    public void FromJson_RfcNotation_ReadsValue(string json, OvsdbValue expected)
    {
        Assert.Equal(expected, OvsdbValue.FromJson(JsonNode.Parse(json)));
    }

    [Theory]
    [MemberData(nameof(Notations))]
    public void ToJsonString_Value_WritesRfcNotation(string json, OvsdbValue value)
    {
        Assert.Equal(json, value.ToJsonString());
    }

    [Fact]
    public void Equals_SetsInDifferentOrder_AreEqual()
    {
        Assert.Equal(OvsdbValue.StringSet(["a", "b"]), OvsdbValue.StringSet(["b", "a"]));
        Assert.NotEqual(OvsdbValue.StringSet(["a", "b"]), OvsdbValue.StringSet(["a", "c"]));
    }

    [Fact]
    public void AsOptionalString_EmptySetAtomOrSingleton_ReturnsNullOrValue()
    {
        Assert.Null(OvsdbValue.EmptySet.AsOptionalString());
        Assert.Equal("secure", OvsdbValue.String("secure").AsOptionalString());
        Assert.Equal("secure", OvsdbValue.Set(OvsdbValue.String("secure")).AsOptionalString());
        Assert.Throws<InvalidCastException>(() => OvsdbValue.StringSet(["a", "b"]).AsOptionalString());
    }

    [Fact]
    public void AsStringMap_EmptySet_ReturnsEmptyMap()
    {
        // ovsdb-server writes an empty map column as ["map",[]], but an empty set is the same value in RFC 7047 terms.
        Assert.Empty(OvsdbValue.EmptySet.AsStringMap());
    }

    [Fact]
    public void AsSet_SingleAtom_IsOneElementSet()
    {
        Assert.Equal([SomeUuid], OvsdbValue.Uuid(SomeUuid).AsUuidSet());
    }

    [Theory]
    [InlineData("[\"uuid\",\"not-a-uuid\"]")]
    [InlineData("[\"set\",{}]")]
    [InlineData("[\"map\",[[\"k\"]]]")]
    [InlineData("{\"a\":1}")]
    [InlineData("null")]
    [InlineData("[\"bag\",[]]")]
    public void FromJson_NotAValue_ThrowsProtocolError(string json)
    {
        var ex = Assert.Throws<OvsdbException>(() => OvsdbValue.FromJson(JsonNode.Parse(json)));
        Assert.Equal(OvsdbErrorKind.Protocol, ex.Kind);
    }

    [FsCheck.Xunit.Property]
    public void StringMap_AnyEntries_RoundTripsThroughJson(Dictionary<NonNull<string>, NonNull<string>> entries)
    {
        var map = entries.ToDictionary(e => e.Key.Get, e => e.Value.Get);

        OvsdbValue back = OvsdbValue.FromJson(JsonNode.Parse(OvsdbValue.StringMap(map).ToJsonString()));

        Assert.Equal(map, back.AsStringMap());
    }

    [Fact]
    public void RowFromJson_ServerRow_ExposesTypedColumns()
    {
        OvsdbRow row = OvsdbRow.FromJson(JsonNode.Parse("""
            {"_uuid":["uuid","36bd4b35-5b73-4e5c-b1d9-7d4e4b0f3a11"],"name":"p1","ofport":["set",[]],
             "ofport_request":7,"external_ids":["map",[["k","v"]]],"interfaces":["uuid","36bd4b35-5b73-4e5c-b1d9-7d4e4b0f3a11"]}
            """));

        Assert.Equal(SomeUuid, row.Uuid);
        Assert.Equal("p1", row.GetString("name"));
        Assert.Null(row.GetOptionalInteger("ofport"));
        Assert.Equal(7, row.GetOptionalInteger("ofport_request"));
        Assert.Equal("v", row.GetStringMap("external_ids")["k"]);
        Assert.Equal([SomeUuid], row.GetUuidSet("interfaces"));
        Assert.Throws<KeyNotFoundException>(() => row.Get("missing"));
    }
}
