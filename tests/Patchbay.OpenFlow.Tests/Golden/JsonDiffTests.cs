// The comparer the golden tests rely on must itself find differences, and name where they are.
using System.Text.Json.Nodes;

namespace Patchbay.OpenFlow.Tests.Golden;

public class JsonDiffTests
{
    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void FirstDifference_EqualTrees_ReturnsNull()
    {
        string json = """{"OFPMatch": {"oxm_fields": [{"OXMTlv": {"field": "in_port", "mask": null, "value": 6}}]}}""";

        Assert.Null(JsonDiff.FirstDifference(Parse(json), Parse(json)));
    }

    [Fact]
    public void FirstDifference_ValueDiffers_NamesPath()
    {
        string? difference = JsonDiff.FirstDifference(
            Parse("""{"a": [{"b": 1}, {"b": 2}]}"""),
            Parse("""{"a": [{"b": 1}, {"b": 3}]}"""));

        Assert.Equal("$.a[1].b: expected 2, got 3", difference);
    }

    [Fact]
    public void FirstDifference_MissingAndExtraKeys_AreReported()
    {
        Assert.StartsWith("$.b: missing", JsonDiff.FirstDifference(Parse("""{"a": 1, "b": 2}"""), Parse("""{"a": 1}""")), StringComparison.Ordinal);
        Assert.StartsWith("$.c: not in os-ken", JsonDiff.FirstDifference(Parse("""{"a": 1}"""), Parse("""{"a": 1, "c": 2}""")), StringComparison.Ordinal);
    }

    [Fact]
    public void FirstDifference_ArrayLengthsDiffer_ReportsCounts()
    {
        Assert.Equal("$: expected 2 elements, got 1", JsonDiff.FirstDifference(Parse("[1, 2]"), Parse("[1]")));
    }

    [Fact]
    public void FirstDifference_U64Max_ComparesExactly()
    {
        JsonNode ours = new JsonObject { ["cookie_mask"] = ulong.MaxValue };

        Assert.Null(JsonDiff.FirstDifference(Parse("""{"cookie_mask": 18446744073709551615}"""), ours));
        Assert.NotNull(JsonDiff.FirstDifference(Parse("""{"cookie_mask": 18446744073709551614}"""), ours));
    }

    [Fact]
    public void FirstDifference_StringAgainstNumber_Differs()
    {
        Assert.NotNull(JsonDiff.FirstDifference(Parse("""{"v": "6"}"""), Parse("""{"v": 6}""")));
    }

    [Fact]
    public void FirstDifference_OpaqueNode_MatchesAnything()
    {
        var ours = new JsonObject { ["actions"] = new JsonArray(OsKenJson.Opaque()) };

        Assert.Null(JsonDiff.FirstDifference(Parse("""{"actions": [{"NXActionCT": {"zone_src": null}}]}"""), ours));
    }

    [Fact]
    public void FirstDifference_Base64WithPlus_ComparesDecodedText()
    {
        var ours = new JsonObject { ["data"] = Convert.ToBase64String([0xfb, 0xef]) };

        Assert.Null(JsonDiff.FirstDifference(Parse("""{"data": "++8="}"""), ours));
    }

    [Fact]
    public void FirstDifference_PartialNode_ComparesOnlyKnownFieldsOfMatchingClass()
    {
        JsonNode ours = OsKenJson.Partial("NXAction", new JsonObject { ["len"] = 16, ["subtype"] = 35 });

        Assert.Null(JsonDiff.FirstDifference(Parse("""{"NXActionCT": {"len": 16, "subtype": 35, "zone_src": null}}"""), ours));
        Assert.Equal(
            "$.NXActionCT.len: expected 24, got 16",
            JsonDiff.FirstDifference(Parse("""{"NXActionCT": {"len": 24, "subtype": 35}}"""), ours));
        Assert.NotNull(JsonDiff.FirstDifference(Parse("""{"OFPActionOutput": {"len": 16, "subtype": 35}}"""), ours));
    }

    [Fact]
    public void FirstDifference_OsKenParsedPacketAgainstBytes_IsAccepted()
    {
        var ours = new JsonObject { ["data"] = "8guk0D9w" };

        Assert.Null(JsonDiff.FirstDifference(Parse("""{"data": {"Packet": {"protocols": []}}}"""), ours));
        Assert.NotNull(JsonDiff.FirstDifference(Parse("""{"data": {"Other": {}}}"""), ours));
    }
}
