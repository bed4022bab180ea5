using System.Buffers;

namespace Patchbay.Packets.Tests;

public class EthernetFrameTests
{
    private static readonly MacAddress A = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress B = MacAddress.Parse("02:00:00:00:00:0b");

    [Fact]
    public void TryParse_UntaggedFrame_ReadsAddressesTypeAndPayload()
    {
        byte[] frame = EthernetFrame.Build(B, A, EtherType.Ipv4, [1, 2, 3]);

        Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame ethernet));
        Assert.Equal(B, ethernet.Destination);
        Assert.Equal(A, ethernet.Source);
        Assert.False(ethernet.HasVlan);
        Assert.Equal(0, ethernet.VlanId);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.Equal(14, ethernet.HeaderLength);
        Assert.Equal(new byte[] { 1, 2, 3 }, ethernet.Payload.ToArray());
    }

    [Fact]
    public void TryParse_VlanTaggedFrame_ReadsTagAndInnerType()
    {
        ushort tci = (5 << 13) | 100;
        byte[] frame = EthernetFrame.Build(B, A, EtherType.Arp, [9], tci);

        Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame ethernet));
        Assert.True(ethernet.HasVlan);
        Assert.Equal(EtherType.Vlan, ethernet.VlanTpid);
        Assert.Equal(100, ethernet.VlanId);
        Assert.Equal(5, ethernet.VlanPriority);
        Assert.Equal(EtherType.Arp, ethernet.EtherType);
        Assert.Equal(18, ethernet.HeaderLength);
        Assert.Equal(new byte[] { 9 }, ethernet.Payload.ToArray());
    }

    [Fact]
    public void TryParse_EveryStrictPrefixOfHeader_ReturnsFalse()
    {
        byte[] frame = EthernetFrame.Build(B, A, EtherType.Ipv4, [], (ushort)7);

        for (int length = 0; length < frame.Length; length++)
        {
            Assert.False(EthernetFrame.TryParse(frame.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }

        Assert.True(EthernetFrame.TryParse(frame, out _));
    }

    [Fact]
    public void TryParse_Ieee8023LengthField_ReturnsFalse()
    {
        byte[] frame = EthernetFrame.Build(B, A, 0x0040, new byte[64]);

        Assert.False(EthernetFrame.TryParse(frame, out _));
    }

    [Fact]
    public void Write_BufferWriter_WritesSameBytesAsBuild()
    {
        var writer = new ArrayBufferWriter<byte>();

        int written = EthernetFrame.Write(writer, B, A, EtherType.Ipv6, [4, 5], (ushort)42);

        Assert.Equal(20, written);
        Assert.Equal(EthernetFrame.Build(B, A, EtherType.Ipv6, [4, 5], (ushort)42), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteHeader_DestinationTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => EthernetFrame.WriteHeader(new byte[13], B, A, EtherType.Ipv4));
    }
}
