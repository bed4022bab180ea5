// ARP for IPv4 over Ethernet (RFC 826): htype u16 = 1, ptype u16 = 0x0800, hlen u8 = 6, plen u8 = 4, oper u16,
// sha[6] spa[4] tha[6] tpa[4]: 28 bytes. Anything else (other hardware, truncated) is not parsed.
using System.Buffers.Binary;

namespace Patchbay.Packets;

public static class ArpOperation
{
    public const ushort Request = 1;

    public const ushort Reply = 2;
}

public readonly ref struct ArpView
{
    public const int Size = 28;

    public const ushort HardwareTypeEthernet = 1;

    private ArpView(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    /// <summary>The 28 ARP bytes (Ethernet padding excluded).</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]);

    public bool IsRequest => Operation == ArpOperation.Request;

    public bool IsReply => Operation == ArpOperation.Reply;

    public MacAddress SenderMac => MacAddress.Read(Bytes[8..]);

    public Ipv4Address SenderIp => Ipv4Address.Read(Bytes[14..]);

    public MacAddress TargetMac => MacAddress.Read(Bytes[18..]);

    public Ipv4Address TargetIp => Ipv4Address.Read(Bytes[24..]);

    /// <summary>Parses an ARP packet: the payload of an Ethernet frame whose EtherType is ARP.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out ArpView result)
    {
        result = default;
        if (payload.Length < Size
            || BinaryPrimitives.ReadUInt16BigEndian(payload) != HardwareTypeEthernet
            || BinaryPrimitives.ReadUInt16BigEndian(payload[2..]) != EtherType.Ipv4
            || payload[4] != MacAddress.Size
            || payload[5] != Ipv4Address.Size)
        {
            return false;
        }

        result = new ArpView(payload[..Size]);
        return true;
    }

    /// <summary>Parses the ARP packet inside a whole Ethernet frame.</summary>
    public static bool TryParseFrame(ReadOnlySpan<byte> frame, out EthernetFrame ethernet, out ArpView result)
    {
        result = default;
        return EthernetFrame.TryParse(frame, out ethernet) && ethernet.EtherType == EtherType.Arp && TryParse(ethernet.Payload, out result);
    }
}
