// Meter bands and OFPT_METER_MOD: sizes, the os-ken and OVS vectors, and band lengths that lie.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Messages;

public class MeterModTests
{
    private const string Vector = "4-45-ofp_meter_mod.packet";

    // Bands start after the 16-byte fixed part; each band's len is at +2.
    private const int FirstBandLenOffset = 18;
    private const int ThirdBandLenOffset = 50;

    [Theory]
    [MemberData(nameof(FixedBands))]
    public void Write_FixedBand_WritesExactlySizeBytes(MeterBand band)
    {
        byte[] bytes = MessageKit.Written(64, (ref WireWriter w) => band.Write(ref w));

        Assert.Equal(16, MeterBand.Size);
        Assert.Equal(MeterBand.Size, bytes.Length);
        var reader = new WireReader(bytes);
        Assert.Equal(band, MeterBand.Read(ref reader));
    }

    public static TheoryData<MeterBand> FixedBands() => new()
    {
        new MeterBandDrop(1000, 10),
        new MeterBandDscpRemark(1000, 10, 1),
        new MeterBandExperimenter(1000, 10, 999, ReadOnlyMemory<byte>.Empty),
    };

    [Fact]
    public void Write_DscpRemark_PutsPrecLevelAfterBurst()
    {
        byte[] bytes = MessageKit.Written(16, (ref WireWriter w) => new MeterBandDscpRemark(1000, 10, 1).Write(ref w));

        Assert.Equal("0002" + "0010" + "000003E8" + "0000000A" + "01000000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void RoundTrip_AllBandKinds_EqualsOriginal()
    {
        var message = new MeterMod(
            MeterModCommand.Modify,
            MeterFlags.Kbps | MeterFlags.Burst | MeterFlags.Stats,
            5,
            [new MeterBandDrop(10_000, 1000), new MeterBandDscpRemark(5000, 500, 2), new MeterBandExperimenter(1, 2, 0x2320, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })])
        {
            Xid = 77,
        };

        MeterMod decoded = MessageKit.RoundTrip(message);

        Assert.Equal(MeterMod.Size + 16 + 16 + 24, decoded.Length);
    }

    [Fact]
    public void Encode_NoBands_WritesExactlySizeBytes()
    {
        byte[] bytes = new MeterMod(MeterModCommand.Delete, MeterFlags.None, OfpMeterId.All, []).ToBytes();

        Assert.Equal(16, MeterMod.Size);
        Assert.Equal(MeterMod.Size, bytes.Length);
    }

    [Fact]
    public void Decode_OsKenVector_FieldsMatchJson()
    {
        MeterMod message = MessageKit.Vector<MeterMod>(Vector);

        Assert.Equal(MeterModCommand.Add, message.Command);
        Assert.Equal(MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, message.Flags);
        Assert.Equal(100u, message.MeterId);
        Assert.Collection(
            message.Bands,
            b => Assert.Equal(new MeterBandDrop(1000, 10), b),
            b => Assert.Equal(new MeterBandDscpRemark(1000, 10, 1), b),
            b => Assert.Equal(new MeterBandExperimenter(1000, 10, 999, ReadOnlyMemory<byte>.Empty), b));
    }

    [Fact]
    public void Decode_OvsVector_FieldsMatchJson()
    {
        MeterMod message = MessageKit.Vector<MeterMod>("libofproto-OFP13-meter_mod.packet");

        Assert.Equal(100u, message.MeterId);
        Assert.Equal(2, message.Bands.Count);
    }

    [Fact]
    public void Decode_BandLenOverrunsMessage_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), ThirdBandLenOffset, 24);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_DropBandLenNot16_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), FirstBandLenOffset, 32);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_UnknownBandType_ThrowsBadValue()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), FirstBandLenOffset - 2, 7);

        Assert.Equal(ProtocolErrorReason.BadValue, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_TrailingBytesTooShortForABand_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(Vector), 0, 1, 0, 8, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }
}
