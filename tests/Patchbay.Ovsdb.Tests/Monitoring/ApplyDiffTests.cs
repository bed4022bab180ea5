// update2 "modify" diffs (ovsdb-server(7)): scalars replaced, sets toggled element-wise, maps added/removed/replaced by key.
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.Schema;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Tests.Monitoring;

public sealed class ApplyDiffTests
{
    private static readonly OvsdbBaseType String = new(OvsdbAtomicType.String);

    [Fact]
    public void ApplyDiff_Scalar_ReplacesValue()
    {
        var type = new OvsdbColumnType(String, null, 1, 1);

        Assert.Equal(OvsdbValue.String("new"), OvsdbMonitor.ApplyDiff(type, OvsdbValue.String("old"), OvsdbValue.String("new")));
    }

    [Fact]
    public void ApplyDiff_Set_TogglesEachElement()
    {
        var type = new OvsdbColumnType(String, null, 0, OvsdbColumnType.Unlimited);

        OvsdbValue result = OvsdbMonitor.ApplyDiff(type, OvsdbValue.StringSet(["a", "b"]), OvsdbValue.StringSet(["b", "c"]));

        Assert.Equal(OvsdbValue.StringSet(["a", "c"]), result);
    }

    [Fact]
    public void ApplyDiff_OptionalColumnSingleAtom_TogglesIt()
    {
        // An optional column (min 0, max 1) is a set: the diff of "secure" -> empty is the atom "secure" itself.
        var type = new OvsdbColumnType(String, null, 0, 1);

        Assert.Equal(OvsdbValue.EmptySet, OvsdbMonitor.ApplyDiff(type, OvsdbValue.Set(OvsdbValue.String("secure")), OvsdbValue.String("secure")));
        Assert.Equal(OvsdbValue.StringSet(["secure"]), OvsdbMonitor.ApplyDiff(type, OvsdbValue.EmptySet, OvsdbValue.String("secure")));
    }

    [Fact]
    public void ApplyDiff_Map_AddsRemovesAndReplacesByKey()
    {
        var type = new OvsdbColumnType(String, String, 0, OvsdbColumnType.Unlimited);
        OvsdbMap current = OvsdbValue.StringMap(new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2", ["change"] = "3" });
        OvsdbMap diff = OvsdbValue.StringMap(new Dictionary<string, string> { ["drop"] = "2", ["change"] = "4", ["add"] = "5" });

        OvsdbValue result = OvsdbMonitor.ApplyDiff(type, current, diff);

        Assert.Equal(new Dictionary<string, string> { ["keep"] = "1", ["change"] = "4", ["add"] = "5" }, result.AsStringMap());
    }

    [Fact]
    public void ApplyDiff_ColumnNotSeenBefore_StartsFromEmpty()
    {
        var type = new OvsdbColumnType(String, null, 0, OvsdbColumnType.Unlimited);

        Assert.Equal(OvsdbValue.StringSet(["x"]), OvsdbMonitor.ApplyDiff(type, null, OvsdbValue.StringSet(["x"])));
    }
}
