// Parsing of <database-schema> (RFC 7047 section 3.2) into tables, columns and types.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Schema;

namespace Patchbay.Ovsdb.Tests.Schema;

public sealed class OvsdbSchemaTests
{
    private const string Schema = """
        {"name":"Mini","version":"1.2.3","tables":{
          "Root":{"isRoot":true,"maxRows":1,"columns":{
            "bridges":{"type":{"key":{"type":"uuid","refTable":"Bridge","refType":"weak"},"min":0,"max":"unlimited"}}}},
          "Bridge":{"indexes":[["name"]],"columns":{
            "name":{"type":"string","mutable":false},
            "fail_mode":{"type":{"key":{"type":"string","enum":["set",["secure","standalone"]]},"min":0,"max":1}},
            "ofport":{"type":{"key":{"type":"integer","minInteger":1,"maxInteger":65279},"min":0,"max":1},"ephemeral":true},
            "other_config":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}}}}}
        """;

    [Fact]
    public void Parse_Schema_ReadsTablesAndFlags()
    {
        OvsdbSchema schema = OvsdbSchema.Parse(JsonNode.Parse(Schema));

        Assert.Equal(("Mini", "1.2.3"), (schema.Name, schema.Version));
        Assert.Equal(["Bridge", "Root"], schema.Tables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((true, 1L), (schema.Table("Root").IsRoot, schema.Table("Root").MaxRows));
        Assert.Equal((false, (long?)null), (schema.Table("Bridge").IsRoot, schema.Table("Bridge").MaxRows));
        Assert.Equal([["name"]], schema.Table("Bridge").Indexes);
        Assert.False(schema.Table("Bridge").Column("name").Mutable);
        Assert.True(schema.Table("Bridge").Column("ofport").Ephemeral);
    }

    [Fact]
    public void Parse_ColumnTypes_ReadsKeyValueBoundsAndConstraints()
    {
        OvsdbSchema schema = OvsdbSchema.Parse(JsonNode.Parse(Schema));

        OvsdbColumnType bridges = schema.Table("Root").Column("bridges").Type;
        Assert.Equal((OvsdbAtomicType.Uuid, "Bridge", true, 0L, OvsdbColumnType.Unlimited), (bridges.Key.Type, bridges.Key.RefTable, bridges.Key.IsWeakReference, bridges.Min, bridges.Max));
        OvsdbColumnType name = schema.Table("Bridge").Column("name").Type;
        Assert.True(name.IsScalar);
        OvsdbColumnType failMode = schema.Table("Bridge").Column("fail_mode").Type;
        Assert.Equal(["secure", "standalone"], failMode.Key.Enum!.Select(a => a.AsString()));
        Assert.False(failMode.IsScalar);
        OvsdbColumnType ofport = schema.Table("Bridge").Column("ofport").Type;
        Assert.Equal((1L, 65279L), (ofport.Key.MinInteger, ofport.Key.MaxInteger));
        OvsdbColumnType otherConfig = schema.Table("Bridge").Column("other_config").Type;
        Assert.Equal((true, OvsdbAtomicType.String), (otherConfig.IsMap, otherConfig.Value!.Type));
    }

    [Theory]
    [InlineData("""{"name":"x","tables":{"T":{"columns":{"c":{"type":"float"}}}}}""")]
    [InlineData("""{"name":"x","tables":[]}""")]
    [InlineData("""{"tables":{}}""")]
    [InlineData("""{"name":"x","tables":{"T":{"columns":{"c":{"type":{"key":"string","max":"many"}}}}}}""")]
    public void Parse_InvalidSchema_ThrowsProtocolError(string json)
    {
        var ex = Assert.Throws<OvsdbException>(() => OvsdbSchema.Parse(JsonNode.Parse(json)));
        Assert.Equal(OvsdbErrorKind.Protocol, ex.Kind);
    }
}
