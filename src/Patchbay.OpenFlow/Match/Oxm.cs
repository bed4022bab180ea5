// Typed constructors for every OpenFlow 1.3 basic OXM field (spec 1.3.5, 7.2.3.7), so callers never
// lay out match bytes by hand. Masked overloads exist exactly for the fields the spec lets carry a mask.
using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Patchbay.OpenFlow.Match;

public static class Oxm
{
    /// <summary>OFPVID_PRESENT: set in vlan_vid to match (or set) a tagged packet's VID.</summary>
    public const ushort VlanPresent = 0x1000;

    /// <summary>OFPVID_NONE: vlan_vid value that matches an untagged packet.</summary>
    public const ushort VlanNone = 0x0000;

    private const int MacSize = 6;

    public static OxmField InPort(uint port) => U32(OxmBasicField.InPort, port);

    public static OxmField InPhyPort(uint port) => U32(OxmBasicField.InPhyPort, port);

    public static OxmField Metadata(ulong metadata) => U64(OxmBasicField.Metadata, metadata);

    public static OxmField Metadata(ulong metadata, ulong mask) => U64(OxmBasicField.Metadata, metadata, mask);

    public static OxmField EthDst(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.EthDst, mac);

    public static OxmField EthDst(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => Mac(OxmBasicField.EthDst, mac, mask);

    public static OxmField EthDst(PhysicalAddress mac) => Mac(OxmBasicField.EthDst, mac.GetAddressBytes());

    public static OxmField EthDst(PhysicalAddress mac, PhysicalAddress mask) => Mac(OxmBasicField.EthDst, mac.GetAddressBytes(), mask.GetAddressBytes());

    public static OxmField EthSrc(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.EthSrc, mac);

    public static OxmField EthSrc(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => Mac(OxmBasicField.EthSrc, mac, mask);

    public static OxmField EthSrc(PhysicalAddress mac) => Mac(OxmBasicField.EthSrc, mac.GetAddressBytes());

    public static OxmField EthSrc(PhysicalAddress mac, PhysicalAddress mask) => Mac(OxmBasicField.EthSrc, mac.GetAddressBytes(), mask.GetAddressBytes());

    public static OxmField EthType(ushort etherType) => U16(OxmBasicField.EthType, etherType);

    /// <summary>vlan_vid as on the wire: <see cref="VlanPresent"/> | VID for a tagged packet, <see cref="VlanNone"/> for an untagged one.</summary>
    public static OxmField VlanVid(ushort vid) => U16(OxmBasicField.VlanVid, vid);

    /// <summary>Masked vlan_vid; (<see cref="VlanPresent"/>, <see cref="VlanPresent"/>) matches any tagged packet.</summary>
    public static OxmField VlanVid(ushort vid, ushort mask) => U16(OxmBasicField.VlanVid, vid, mask);

    public static OxmField VlanPcp(byte pcp) => U8(OxmBasicField.VlanPcp, pcp);

    public static OxmField IpDscp(byte dscp) => U8(OxmBasicField.IpDscp, dscp);

    public static OxmField IpEcn(byte ecn) => U8(OxmBasicField.IpEcn, ecn);

    public static OxmField IpProto(byte protocol) => U8(OxmBasicField.IpProto, protocol);

    public static OxmField Ipv4Src(IPAddress address) => Address(OxmBasicField.Ipv4Src, AddressFamily.InterNetwork, address);

    public static OxmField Ipv4Src(IPAddress address, IPAddress mask) => Address(OxmBasicField.Ipv4Src, AddressFamily.InterNetwork, address, mask);

    /// <summary>ipv4_src within a prefix; a /32 is written unmasked, as switches report it.</summary>
    public static OxmField Ipv4Src(IPAddress network, int prefixLength) => Prefix(OxmBasicField.Ipv4Src, AddressFamily.InterNetwork, network, prefixLength);

    public static OxmField Ipv4Dst(IPAddress address) => Address(OxmBasicField.Ipv4Dst, AddressFamily.InterNetwork, address);

    /// <summary>ipv4_src from the address as a number (10.0.0.1 is 0x0a000001), without an <see cref="IPAddress"/>.</summary>
    public static OxmField Ipv4Src(uint address) => U32(OxmBasicField.Ipv4Src, address);

    /// <summary>ipv4_dst from the address as a number (10.0.0.1 is 0x0a000001), without an <see cref="IPAddress"/>.</summary>
    public static OxmField Ipv4Dst(uint address) => U32(OxmBasicField.Ipv4Dst, address);

    public static OxmField Ipv4Dst(IPAddress address, IPAddress mask) => Address(OxmBasicField.Ipv4Dst, AddressFamily.InterNetwork, address, mask);

    /// <summary>ipv4_dst within a prefix; a /32 is written unmasked, as switches report it.</summary>
    public static OxmField Ipv4Dst(IPAddress network, int prefixLength) => Prefix(OxmBasicField.Ipv4Dst, AddressFamily.InterNetwork, network, prefixLength);

    public static OxmField TcpSrc(ushort port) => U16(OxmBasicField.TcpSrc, port);

    public static OxmField TcpDst(ushort port) => U16(OxmBasicField.TcpDst, port);

    public static OxmField UdpSrc(ushort port) => U16(OxmBasicField.UdpSrc, port);

    public static OxmField UdpDst(ushort port) => U16(OxmBasicField.UdpDst, port);

    public static OxmField SctpSrc(ushort port) => U16(OxmBasicField.SctpSrc, port);

    public static OxmField SctpDst(ushort port) => U16(OxmBasicField.SctpDst, port);

    public static OxmField Icmpv4Type(byte type) => U8(OxmBasicField.Icmpv4Type, type);

    public static OxmField Icmpv4Code(byte code) => U8(OxmBasicField.Icmpv4Code, code);

    public static OxmField ArpOp(ushort operation) => U16(OxmBasicField.ArpOp, operation);

    public static OxmField ArpSpa(IPAddress address) => Address(OxmBasicField.ArpSpa, AddressFamily.InterNetwork, address);

    public static OxmField ArpSpa(IPAddress address, IPAddress mask) => Address(OxmBasicField.ArpSpa, AddressFamily.InterNetwork, address, mask);

    public static OxmField ArpTpa(IPAddress address) => Address(OxmBasicField.ArpTpa, AddressFamily.InterNetwork, address);

    public static OxmField ArpTpa(IPAddress address, IPAddress mask) => Address(OxmBasicField.ArpTpa, AddressFamily.InterNetwork, address, mask);

    public static OxmField ArpSha(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.ArpSha, mac);

    public static OxmField ArpSha(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => Mac(OxmBasicField.ArpSha, mac, mask);

    public static OxmField ArpSha(PhysicalAddress mac) => Mac(OxmBasicField.ArpSha, mac.GetAddressBytes());

    public static OxmField ArpSha(PhysicalAddress mac, PhysicalAddress mask) => Mac(OxmBasicField.ArpSha, mac.GetAddressBytes(), mask.GetAddressBytes());

    public static OxmField ArpTha(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.ArpTha, mac);

    public static OxmField ArpTha(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) => Mac(OxmBasicField.ArpTha, mac, mask);

    public static OxmField ArpTha(PhysicalAddress mac) => Mac(OxmBasicField.ArpTha, mac.GetAddressBytes());

    public static OxmField ArpTha(PhysicalAddress mac, PhysicalAddress mask) => Mac(OxmBasicField.ArpTha, mac.GetAddressBytes(), mask.GetAddressBytes());

    public static OxmField Ipv6Src(IPAddress address) => Address(OxmBasicField.Ipv6Src, AddressFamily.InterNetworkV6, address);

    public static OxmField Ipv6Src(IPAddress address, IPAddress mask) => Address(OxmBasicField.Ipv6Src, AddressFamily.InterNetworkV6, address, mask);

    /// <summary>ipv6_src within a prefix; a /128 is written unmasked, as switches report it.</summary>
    public static OxmField Ipv6Src(IPAddress network, int prefixLength) => Prefix(OxmBasicField.Ipv6Src, AddressFamily.InterNetworkV6, network, prefixLength);

    public static OxmField Ipv6Dst(IPAddress address) => Address(OxmBasicField.Ipv6Dst, AddressFamily.InterNetworkV6, address);

    public static OxmField Ipv6Dst(IPAddress address, IPAddress mask) => Address(OxmBasicField.Ipv6Dst, AddressFamily.InterNetworkV6, address, mask);

    /// <summary>ipv6_dst within a prefix; a /128 is written unmasked, as switches report it.</summary>
    public static OxmField Ipv6Dst(IPAddress network, int prefixLength) => Prefix(OxmBasicField.Ipv6Dst, AddressFamily.InterNetworkV6, network, prefixLength);

    public static OxmField Ipv6Flabel(uint label) => U32(OxmBasicField.Ipv6Flabel, label);

    public static OxmField Ipv6Flabel(uint label, uint mask) => U32(OxmBasicField.Ipv6Flabel, label, mask);

    public static OxmField Icmpv6Type(byte type) => U8(OxmBasicField.Icmpv6Type, type);

    public static OxmField Icmpv6Code(byte code) => U8(OxmBasicField.Icmpv6Code, code);

    public static OxmField Ipv6NdTarget(IPAddress address) => Address(OxmBasicField.Ipv6NdTarget, AddressFamily.InterNetworkV6, address);

    public static OxmField Ipv6NdSll(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.Ipv6NdSll, mac);

    public static OxmField Ipv6NdSll(PhysicalAddress mac) => Mac(OxmBasicField.Ipv6NdSll, mac.GetAddressBytes());

    public static OxmField Ipv6NdTll(ReadOnlySpan<byte> mac) => Mac(OxmBasicField.Ipv6NdTll, mac);

    public static OxmField Ipv6NdTll(PhysicalAddress mac) => Mac(OxmBasicField.Ipv6NdTll, mac.GetAddressBytes());

    public static OxmField MplsLabel(uint label) => U32(OxmBasicField.MplsLabel, label);

    public static OxmField MplsTc(byte trafficClass) => U8(OxmBasicField.MplsTc, trafficClass);

    public static OxmField MplsBos(byte bottomOfStack) => U8(OxmBasicField.MplsBos, bottomOfStack);

    /// <summary>pbb_isid: a 24-bit service instance id, 3 bytes on the wire.</summary>
    public static OxmField PbbIsid(uint isid) => U24(OxmBasicField.PbbIsid, isid);

    public static OxmField PbbIsid(uint isid, uint mask) => U24(OxmBasicField.PbbIsid, isid, mask);

    public static OxmField TunnelId(ulong tunnelId) => U64(OxmBasicField.TunnelId, tunnelId);

    public static OxmField TunnelId(ulong tunnelId, ulong mask) => U64(OxmBasicField.TunnelId, tunnelId, mask);

    /// <summary>ipv6_exthdr: a bitmap of enum ofp_ipv6exthdr_flags.</summary>
    public static OxmField Ipv6Exthdr(ushort flags) => U16(OxmBasicField.Ipv6Exthdr, flags);

    public static OxmField Ipv6Exthdr(ushort flags, ushort mask) => U16(OxmBasicField.Ipv6Exthdr, flags, mask);

    /// <summary>pbb_uca (OpenFlow 1.4, accepted by OVS in 1.3): the PBB use-customer-address bit.</summary>
    public static OxmField PbbUca(byte uca) => U8(OxmBasicField.PbbUca, uca);

    private static OxmField U8(OxmBasicField field, byte value) => new(field, new[] { value });

    private static OxmField U16(OxmBasicField field, ushort value) => new(field, BigEndian16(value));

    private static OxmField U16(OxmBasicField field, ushort value, ushort mask) => new(field, BigEndian16(value), BigEndian16(mask));

    private static OxmField U24(OxmBasicField field, uint value) => new(field, BigEndian24(value));

    private static OxmField U24(OxmBasicField field, uint value, uint mask) => new(field, BigEndian24(value), BigEndian24(mask));

    private static OxmField U32(OxmBasicField field, uint value) => new(field, BigEndian32(value));

    private static OxmField U32(OxmBasicField field, uint value, uint mask) => new(field, BigEndian32(value), BigEndian32(mask));

    private static OxmField U64(OxmBasicField field, ulong value) => new(field, BigEndian64(value));

    private static OxmField U64(OxmBasicField field, ulong value, ulong mask) => new(field, BigEndian64(value), BigEndian64(mask));

    private static OxmField Mac(OxmBasicField field, ReadOnlySpan<byte> mac) => new(field, MacBytes(mac, nameof(mac)));

    private static OxmField Mac(OxmBasicField field, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> mask) =>
        new(field, MacBytes(mac, nameof(mac)), MacBytes(mask, nameof(mask)));

    private static OxmField Address(OxmBasicField field, AddressFamily family, IPAddress address) =>
        new(field, AddressBytes(family, address, nameof(address)));

    private static OxmField Address(OxmBasicField field, AddressFamily family, IPAddress address, IPAddress mask) =>
        new(field, AddressBytes(family, address, nameof(address)), AddressBytes(family, mask, nameof(mask)));

    private static OxmField Prefix(OxmBasicField field, AddressFamily family, IPAddress network, int prefixLength)
    {
        byte[] value = AddressBytes(family, network, nameof(network));
        int bits = value.Length * 8;
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, bits);
        if (prefixLength == bits)
        {
            return new OxmField(field, value);
        }

        var mask = new byte[value.Length];
        for (int i = 0; i < bits; i++)
        {
            if (i < prefixLength)
            {
                mask[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        // A switch reports value & mask; writing it that way keeps installed and desired flows equal.
        for (int i = 0; i < value.Length; i++)
        {
            value[i] &= mask[i];
        }

        return new OxmField(field, value, mask);
    }

    private static byte[] BigEndian16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian24(uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xffffffu);
        return [(byte)(value >> 16), (byte)(value >> 8), (byte)value];
    }

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] MacBytes(ReadOnlySpan<byte> mac, string parameter)
    {
        if (mac.Length != MacSize)
        {
            throw new ArgumentException($"a MAC address is {MacSize} bytes, not {mac.Length}", parameter);
        }

        return mac.ToArray();
    }

    private static byte[] AddressBytes(AddressFamily family, IPAddress address, string parameter)
    {
        if (address.AddressFamily != family)
        {
            throw new ArgumentException($"{address} is {address.AddressFamily}, the field needs {family}", parameter);
        }

        return address.GetAddressBytes();
    }
}
