// ofp_match (spec 1.3.5, 7.2.3.1): layout with padding, value equality, Find, OXMs of other classes kept
// opaque, and every length rule the decoder enforces.
using System.Net;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Match;

public class OfpMatchTests
{
    [Fact]
    public void Write_InPortMatch_HasLength12AndPadsTo16()
    {
        var match = new OfpMatch([Oxm.InPort(1)]);

        Assert.Equal("0001000c800000040000000100000000", Convert.ToHexStringLower(WireCodec.Encode(match)));
        Assert.Equal(12, match.Length);
    }

    [Fact]
    public void Write_EmptyMatch_IsHeaderPlusFourPaddingBytes()
    {
        Assert.Equal("0001000400000000", Convert.ToHexStringLower(WireCodec.Encode(OfpMatch.Empty)));
    }

    [Fact]
    public void Read_WrittenMatch_EqualsTheOriginal()
    {
        var match = new OfpMatch(
        [
            Oxm.InPort(3),
            Oxm.EthType(0x0800),
            Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), 8),
            Oxm.IpProto(6),
            Oxm.TcpDst(22),
        ]);

        OfpMatch decoded = WireCodec.DecodeMatch(WireCodec.Encode(match));

        Assert.Equal(match, decoded);
        Assert.Equal(match.GetHashCode(), decoded.GetHashCode());
        Assert.NotEqual(match, new OfpMatch([.. match.Fields.Reverse()]));
    }

    [Fact]
    public void Find_PresentAndAbsentFields_ReturnsFieldOrNull()
    {
        var match = new OfpMatch([Oxm.InPort(3), Oxm.EthType(0x0806)]);

        Assert.Equal((ushort)0x0806, match.Find(OxmBasicField.EthType)?.ValueAsUInt16());
        Assert.Null(match.Find(OxmBasicField.Ipv4Dst));
    }

    [Fact]
    public void Find_NiciraFieldWithSameNumber_IsNotABasicField()
    {
        var reg0 = new OxmField(OxmClass.Nxm1, 0, false, new byte[] { 0, 0, 0, 1 }, ReadOnlyMemory<byte>.Empty);

        Assert.Null(new OfpMatch([reg0]).Find(OxmBasicField.InPort));
    }

    [Fact]
    public void Read_OvsMatchWithNiciraCtState_RoundTripsByteExact()
    {
        // eth_type=0x0800, ct_state=0/0x20 (NXM_NX_CT_STATE, masked) from golden vector ovs-ofctl-of13-action_ct.
        byte[] bytes = Convert.FromHexString("0001001680000a0208000001d30800000000000000200000");

        OfpMatch match = WireCodec.DecodeMatch(bytes);

        Assert.Equal(2, match.Fields.Count);
        Assert.Equal(OxmClass.Nxm1, match.Fields[1].Class);
        Assert.Equal(105, match.Fields[1].Field);
        Assert.True(match.Fields[1].HasMask);
        Assert.Equal(bytes, WireCodec.Encode(match));
    }

    [Fact]
    public void Read_EveryStrictPrefixOfAMatch_ThrowsBadMatchLength()
    {
        byte[] bytes = WireCodec.Encode(new OfpMatch([Oxm.InPort(1), Oxm.EthDst([2, 0, 0, 0, 0, 1])]));

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
            {
                var reader = new WireReader(prefix);
                OfpMatch.Read(ref reader);
            });

            Assert.True(reason == ProtocolErrorReason.BadMatchLength, $"match cut to {length} of {bytes.Length} bytes: {reason}");
        }
    }

    [Property]
    public void Read_ArbitraryBytesAfterAMatchHeader_DecodesOrThrowsProtocolException(byte[] oxms)
    {
        int length = OfpMatch.HeaderSize + oxms.Length;
        byte[] bytes = new byte[Declared.Align8(length)];
        bytes[1] = (byte)OfpMatch.OxmMatchType;
        bytes[2] = (byte)(length >> 8);
        bytes[3] = (byte)length;
        oxms.CopyTo(bytes, OfpMatch.HeaderSize);

        try
        {
            OfpMatch match = WireCodec.DecodeMatch(bytes);
            Assert.Equal(length, match.Length);
            Assert.Equal(bytes, WireCodec.Encode(match));
        }
        catch (OpenFlowProtocolException)
        {
            // Malformed OXMs are allowed to fail, but only this way.
        }
    }

    public static TheoryData<string, string, ProtocolErrorReason> Malformed => new()
    {
        { "match header cut short", "0001", ProtocolErrorReason.BadMatchLength },
        { "match length below 4", "0001000200000000", ProtocolErrorReason.BadMatchLength },
        { "match type not OXM", "0000000400000000", ProtocolErrorReason.BadMatchLength },
        { "match length beyond the input", "00010014800000040000000100000000", ProtocolErrorReason.BadMatchLength },
        { "OXM length beyond the match", "0001000c800000080000000100000000", ProtocolErrorReason.BadOxmLength },
        { "OXM header cut short by the match", "0001000680000000", ProtocolErrorReason.BadOxmLength },
        { "in_port with length 2", "0001000a800000020001000000000000", ProtocolErrorReason.BadOxmLength },
        { "in_port with mask bit but 4 bytes", "0001000c800001040000000100000000", ProtocolErrorReason.BadOxmLength },
        { "ipv4_src masked with 4 bytes", "0001000c800017040a00000000000000", ProtocolErrorReason.BadOxmLength },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedMatch_ThrowsWithReason(string name, string hex, ProtocolErrorReason reason)
    {
        byte[] bytes = Convert.FromHexString(hex);

        ProtocolErrorReason actual = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            OfpMatch.Read(ref reader);
        });

        Assert.True(reason == actual, $"{name}: expected {reason}, got {actual}");
    }
}
