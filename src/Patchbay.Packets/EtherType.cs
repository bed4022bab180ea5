// EtherType and IP protocol numbers the data path parses (IEEE 802.3 / IANA assignments).
namespace Patchbay.Packets;

public static class EtherType
{
    public const ushort Ipv4 = 0x0800;

    public const ushort Arp = 0x0806;

    /// <summary>IEEE 802.1Q customer VLAN tag (TPID).</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (TPID).</summary>
    public const ushort QinQ = 0x88a8;

    public const ushort Ipv6 = 0x86dd;

    /// <summary>Values below this are an 802.3 length field, not an EtherType.</summary>
    public const ushort Minimum = 0x0600;
}

public static class IpProtocol
{
    public const byte Icmp = 1;

    public const byte Tcp = 6;

    public const byte Udp = 17;

    public const byte Icmpv6 = 58;
}
