// struct ofp_port: 64 bytes, UTF-8 names, and the PORT_STATUS message that carries it.
using System.Net.NetworkInformation;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Messages;

public class PortDescriptionTests
{
    private static readonly PortDescription Port = new(
        7,
        PhysicalAddress.Parse("f2-0b-a4-d0-3f-70"),
        "veth-a1",
        OfpPortConfig.NoPacketIn,
        OfpPortState.Live,
        OfpPortFeatures.Rate10GbFd | OfpPortFeatures.Copper,
        OfpPortFeatures.Rate1GbFd,
        OfpPortFeatures.Rate10GbFd | OfpPortFeatures.Autoneg,
        OfpPortFeatures.None,
        10_000_000,
        10_000_000);

    [Fact]
    public void Write_Port_WritesExactlySizeBytesInSpecLayout()
    {
        byte[] bytes = MessageKit.Written(100, (ref WireWriter w) => Port.Write(ref w));

        Assert.Equal(PortDescription.Size, bytes.Length);
        Assert.Equal(64, PortDescription.Size);
        Assert.Equal("00000007" + "00000000" + "F20BA4D03F70" + "0000", Convert.ToHexString(bytes[..16]));
        Assert.Equal("veth-a1"u8.ToArray(), bytes[16..23]);
        Assert.All(bytes[23..32], b => Assert.Equal(0, b));
        Assert.Equal("00000040" + "00000004", Convert.ToHexString(bytes[32..40]));
        Assert.Equal("00989680", Convert.ToHexString(bytes[56..60]));
    }

    [Fact]
    public void Read_WrittenPort_EqualsOriginal()
    {
        byte[] bytes = MessageKit.Written(PortDescription.Size, (ref WireWriter w) => Port.Write(ref w));
        var reader = new WireReader(bytes);

        Assert.Equal(Port, PortDescription.Read(ref reader));
        Assert.True(reader.End);
    }

    [Fact]
    public void Read_FewerThan64Bytes_ThrowsTruncated()
    {
        byte[] bytes = MessageKit.Written(PortDescription.Size, (ref WireWriter w) => Port.Write(ref w))[..63];

        Assert.Equal(ProtocolErrorReason.Truncated, MessageKit.ReadReason(bytes, (ref WireReader r) => PortDescription.Read(ref r)));
    }

    [Fact]
    public void Write_NameOf16Bytes_CutTo15ToLeaveTheNul()
    {
        PortDescription port = Port with { Name = "0123456789abcdef" };

        byte[] bytes = MessageKit.Written(100, (ref WireWriter w) => port.Write(ref w));

        Assert.Equal("0123456789abcde\0"u8.ToArray(), bytes[16..32]);
    }

    [Fact]
    public void Write_LongMultiByteName_CutBetweenCharacters()
    {
        // Six 3-byte characters are 18 bytes; five (15 bytes) fit, and no character is split.
        PortDescription port = Port with { Name = "\u79c1\u306e\u30dd\u30fc\u30c8\u30c8" };

        byte[] bytes = MessageKit.Written(100, (ref WireWriter w) => port.Write(ref w));
        var reader = new WireReader(bytes);

        Assert.Equal("\u79c1\u306e\u30dd\u30fc\u30c8", PortDescription.Read(ref reader).Name);
        Assert.Equal(0, bytes[31]);
    }

    [Fact]
    public void Write_NameCutInsideSurrogatePair_DropsTheWholePair()
    {
        // 14 ASCII bytes then a 4-byte emoji: the emoji does not fit and must not be half-written.
        PortDescription port = Port with { Name = "abcdefghijklmn\U0001F600" };

        byte[] bytes = MessageKit.Written(100, (ref WireWriter w) => port.Write(ref w));

        Assert.Equal("abcdefghijklmn\0\0"u8.ToArray(), bytes[16..32]);
    }

    [Fact]
    public void Read_NameNotValidUtf8_DecodesAndReencodesWithoutThrowing()
    {
        byte[] bytes = MessageKit.Written(PortDescription.Size, (ref WireWriter w) => Port.Write(ref w));
        bytes[16] = 0xff;
        var reader = new WireReader(bytes);
        PortDescription port = PortDescription.Read(ref reader);

        byte[] again = MessageKit.Written(100, (ref WireWriter w) => port.Write(ref w));

        Assert.Equal(PortDescription.Size, again.Length);
    }

    [Fact]
    public void PortStatus_RoundTrip_EqualsOriginal()
    {
        PortStatus decoded = MessageKit.RoundTrip(new PortStatus(PortReason.Modify, Port) { Xid = 9 });

        Assert.Equal(PortStatus.Size, decoded.Length);
        Assert.Equal(80, PortStatus.Size);
    }

    [Fact]
    public void PortStatus_OsKenVector_Utf8NameAndFieldsMatchJson()
    {
        PortStatus status = MessageKit.Vector<PortStatus>("4-39-ofp_port_status.packet");

        Assert.Equal(PortReason.Add, status.Reason);
        Assert.Equal(7u, status.Desc.PortNo);
        Assert.Equal("\u79c1\u306e\u30dd\u30fc\u30c8", status.Desc.Name);
        Assert.Equal(PhysicalAddress.Parse("f2-0b-a4-d0-3f-70"), status.Desc.HwAddr);
        Assert.Equal(OfpPortState.Live, status.Desc.State);
        Assert.Equal((OfpPortFeatures)10248, status.Desc.Curr);
        Assert.Equal((OfpPortFeatures)10240, status.Desc.Advertised);
        Assert.Equal(5000u, status.Desc.CurrSpeed);
        Assert.Equal(5000u, status.Desc.MaxSpeed);
    }

    [Fact]
    public void PortStatus_OvsVector_FieldsMatchJson()
    {
        PortStatus status = MessageKit.Vector<PortStatus>("libofproto-OFP13-port_status.packet");

        Assert.Equal(PortReason.Modify, status.Reason);
        Assert.Equal("eth0", status.Desc.Name);
        Assert.Equal(1u, status.Desc.PortNo);
        Assert.Equal(50000u, status.Desc.CurrSpeed);
        Assert.Equal(100000u, status.Desc.MaxSpeed);
    }

    [Fact]
    public void PortStatus_LengthOtherThan80_ThrowsBadLength()
    {
        byte[] frame = Corruption.Vector("4-39-ofp_port_status.packet");
        byte[] longer = Corruption.Reframed([.. frame, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(longer));
    }
}
