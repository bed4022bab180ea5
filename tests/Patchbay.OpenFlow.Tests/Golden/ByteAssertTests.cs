// The byte comparer behind every round-trip failure message must point at the first differing byte.
using Patchbay.Testing.Bytes;
using Xunit.Sdk;

namespace Patchbay.OpenFlow.Tests.Golden;

public class ByteAssertTests
{
    [Fact]
    public void FirstDifference_DifferentByte_NamesOffsetAndValues()
    {
        Assert.Equal(
            "first difference at byte 2 (0x2): expected 0x03, actual 0x04 (lengths 4 and 4)",
            ByteAssert.FirstDifference([1, 2, 3, 4], [1, 2, 4, 4]));
    }

    [Fact]
    public void FirstDifference_EqualBytes_ReturnsNull()
    {
        Assert.Null(ByteAssert.FirstDifference([1, 2], [1, 2]));
    }

    [Fact]
    public void FirstDifference_PrefixOnly_ReportsLengths()
    {
        Assert.Equal("lengths differ: expected 2 bytes, actual 3; the first 2 agree", ByteAssert.FirstDifference([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void Identical_DifferentBytes_ThrowsWithWhatAndOffset()
    {
        var error = Assert.Throws<XunitException>(() => ByteAssert.Identical([0x04, 0x0e], [0x04, 0x0f], "re-encoded FlowMod"));

        Assert.StartsWith("re-encoded FlowMod: first difference at byte 1", error.Message, StringComparison.Ordinal);
    }
}
