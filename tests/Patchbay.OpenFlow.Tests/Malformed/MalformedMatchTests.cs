// ofp_match and OXM TLV length rules, on the match of a real flow-mod (4-3-ofp_flow_mod: match at
// offset 48, length 22 = header + in_port + eth_src, then 2 bytes of padding).
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Malformed;

public class MalformedMatchTests
{
    private const int MatchOffset = 48;
    private const int MatchPaddedLength = 24;

    private static byte[] RealMatch() => Corruption.Vector("4-3-ofp_flow_mod.packet")[MatchOffset..(MatchOffset + MatchPaddedLength)];

    private static ProtocolErrorReason ReadReason(byte[] match) =>
        Assert.Throws<OpenFlowProtocolException>(() =>
        {
            var reader = new WireReader(match);
            OfpMatch.Read(ref reader);
        }).Reason;

    [Fact]
    public void Read_RealMatch_ReadsBothFieldsAndPadding()
    {
        var reader = new WireReader(RealMatch());

        OfpMatch match = OfpMatch.Read(ref reader);

        Assert.True(reader.End);
        Assert.Equal([OxmBasicField.InPort, OxmBasicField.EthSrc], match.Fields.Select(f => f.BasicField));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Read_MatchLengthBelowHeader_ThrowsBadMatchLength(ushort length)
    {
        Assert.Equal(ProtocolErrorReason.BadMatchLength, ReadReason(Corruption.WithU16(RealMatch(), 2, length)));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(0xffff)]
    public void Read_MatchLengthOverrunsBuffer_ThrowsBadMatchLength(ushort length)
    {
        Assert.Equal(ProtocolErrorReason.BadMatchLength, ReadReason(Corruption.WithU16(RealMatch(), 2, length)));
    }

    [Fact]
    public void Read_PaddingMissing_ThrowsBadMatchLength()
    {
        Assert.Equal(ProtocolErrorReason.BadMatchLength, ReadReason(RealMatch()[..22]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Read_MatchTypeNotOxm_ThrowsBadMatchLength(ushort type)
    {
        Assert.Equal(ProtocolErrorReason.BadMatchLength, ReadReason(Corruption.WithU16(RealMatch(), 0, type)));
    }

    [Fact]
    public void Read_OxmLengthOverrunsMatch_ThrowsBadOxmLength()
    {
        // eth_src's oxm_length (offset 4 + 8 + 3 in the match) claims 7 bytes where the match holds 6.
        Assert.Equal(ProtocolErrorReason.BadOxmLength, ReadReason(Corruption.WithU8(RealMatch(), 15, 7)));
    }

    [Fact]
    public void Read_BasicOxmLengthDisagreesWithFieldSize_ThrowsBadOxmLength()
    {
        // in_port is 4 bytes; declaring 2 leaves the TLV stream misaligned but still inside the match.
        Assert.Equal(ProtocolErrorReason.BadOxmLength, ReadReason(Corruption.WithU8(RealMatch(), 7, 2)));
    }

    [Fact]
    public void Read_MatchEndsInsideOxmHeader_ThrowsBadOxmLength()
    {
        // Match length 14 ends two bytes into eth_src's header.
        Assert.Equal(ProtocolErrorReason.BadOxmLength, ReadReason(Corruption.WithU16(RealMatch(), 2, 14)));
    }

    [Fact]
    public void Read_MatchEndsInsideOxmValue_ThrowsBadOxmLength()
    {
        // Match length 20 cuts eth_src's 6-byte value after 4.
        Assert.Equal(ProtocolErrorReason.BadOxmLength, ReadReason(Corruption.WithU16(RealMatch(), 2, 20)));
    }
}
