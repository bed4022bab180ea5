// WireWriter's back-filled lengths and alignment padding, which the match, action and instruction
// encoders use so that no nested length is computed twice.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Wire;

public class WireWriterTests
{
    [Fact]
    public void PatchLength_AfterBody_WritesBytesSinceStartBigEndianAtTheReservedOffset()
    {
        var buffer = new byte[8];
        var writer = new WireWriter(buffer);

        writer.U16(0xabcd);
        int length = writer.ReserveLength();
        writer.U8(0x11);
        writer.PatchLength(length, 0);

        Assert.Equal("ABCD000511000000", Convert.ToHexString(buffer));
        Assert.Equal(5, writer.Position);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(7, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 16)]
    public void PadTo8_FromStart_ZeroPadsToTheNextMultipleOf8(int written, int expected)
    {
        byte[] buffer = Enumerable.Repeat((byte)0xff, 20).ToArray();
        var writer = new WireWriter(buffer);
        writer.U16(0x1234);
        int start = writer.Position;
        writer.Bytes(Enumerable.Repeat((byte)0xee, written).ToArray());

        writer.PadTo8(start);

        Assert.Equal(start + expected, writer.Position);
        Assert.All(buffer[(start + written)..(start + expected)], b => Assert.Equal(0, b));
        Assert.Equal(0xff, buffer[start + expected]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    public void Bytes_ShortOrLong_CopiesExactlyAfterWhatCameBefore(int count)
    {
        byte[] value = Enumerable.Range(1, count).Select(i => (byte)i).ToArray();
        byte[] buffer = Enumerable.Repeat((byte)0xff, count + 2).ToArray();
        var writer = new WireWriter(buffer);
        writer.U8(0);

        writer.Bytes(value);

        Assert.Equal(count + 1, writer.Position);
        Assert.Equal(value, buffer[1..(count + 1)]);
        Assert.Equal(0xff, buffer[^1]);
    }

    [Fact]
    public void PatchLength_MoreThan65535Bytes_Throws()
    {
        var buffer = new byte[ushort.MaxValue + 3];
        var writer = new WireWriter(buffer);
        int length = writer.ReserveLength();
        writer.Pad(ushort.MaxValue);

        try
        {
            writer.PatchLength(length, 0);
            Assert.Fail("a 65,537-byte length was patched into 16 bits");
        }
        catch (InvalidOperationException e)
        {
            Assert.Contains("65537", e.Message, StringComparison.Ordinal);
        }
    }
}
