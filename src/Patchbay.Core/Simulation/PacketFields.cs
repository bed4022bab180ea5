// The OXM match fields of one packet as a switch sees them at a table lookup: pipeline fields (in_port,
// metadata) and the header fields parsed from the frame with Patchbay.Packets. A field the packet does
// not have (tcp_dst of an ARP frame, L4 of a non-first fragment) is absent, and a match on it fails.
using System.Buffers.Binary;
using Patchbay.OpenFlow.Match;
using Patchbay.Packets;

namespace Patchbay.Core.Simulation;

public sealed class PacketFields
{
    private readonly Dictionary<OxmBasicField, byte[]> _values = [];

    private PacketFields()
    {
    }

    public IEnumerable<OxmBasicField> Present => _values.Keys;

    public bool TryGet(OxmBasicField field, out ReadOnlySpan<byte> value)
    {
        bool found = _values.TryGetValue(field, out byte[]? bytes);
        value = bytes;
        return found;
    }

    public static PacketFields Extract(uint inPort, ulong metadata, ReadOnlySpan<byte> frame)
    {
        var fields = new PacketFields();
        fields.U32(OxmBasicField.InPort, inPort);
        fields.U64(OxmBasicField.Metadata, metadata);
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet))
        {
            return fields;
        }

        fields.Set(OxmBasicField.EthDst, frame[..MacAddress.Size]);
        fields.Set(OxmBasicField.EthSrc, frame.Slice(MacAddress.Size, MacAddress.Size));
        fields.U16(OxmBasicField.EthType, ethernet.EtherType);
        fields.U16(OxmBasicField.VlanVid, ethernet.HasVlan ? (ushort)(Oxm.VlanPresent | ethernet.VlanId) : Oxm.VlanNone);
        if (ethernet.HasVlan)
        {
            fields.Set(OxmBasicField.VlanPcp, [ethernet.VlanPriority]);
        }

        switch (ethernet.EtherType)
        {
            case EtherType.Arp when ArpView.TryParse(ethernet.Payload, out ArpView arp):
                fields.U16(OxmBasicField.ArpOp, arp.Operation);
                fields.Set(OxmBasicField.ArpSha, arp.Bytes.Slice(8, 6));
                fields.Set(OxmBasicField.ArpSpa, arp.Bytes.Slice(14, 4));
                fields.Set(OxmBasicField.ArpTha, arp.Bytes.Slice(18, 6));
                fields.Set(OxmBasicField.ArpTpa, arp.Bytes.Slice(24, 4));
                break;
            case EtherType.Ipv4 when Ipv4View.TryParse(ethernet.Payload, out Ipv4View ip):
                fields.Set(OxmBasicField.IpProto, [ip.Protocol]);
                fields.Set(OxmBasicField.IpDscp, [ip.Dscp]);
                fields.Set(OxmBasicField.IpEcn, [ip.Ecn]);
                fields.Set(OxmBasicField.Ipv4Src, ip.Bytes.Slice(Ipv4View.SourceOffset, 4));
                fields.Set(OxmBasicField.Ipv4Dst, ip.Bytes.Slice(Ipv4View.DestinationOffset, 4));
                if (ip.FragmentOffset == 0)
                {
                    fields.AddTransport(ip.Protocol, ip.Payload, IpProtocol.Icmp);
                }

                break;
            case EtherType.Ipv6 when Ipv6View.TryParse(ethernet.Payload, out Ipv6View ip6):
                fields.Set(OxmBasicField.IpProto, [ip6.NextHeader]);
                fields.Set(OxmBasicField.IpDscp, [(byte)(ip6.TrafficClass >> 2)]);
                fields.Set(OxmBasicField.IpEcn, [(byte)(ip6.TrafficClass & 3)]);
                fields.Set(OxmBasicField.Ipv6Src, ip6.Source);
                fields.Set(OxmBasicField.Ipv6Dst, ip6.Destination);
                fields.U32(OxmBasicField.Ipv6Flabel, ip6.FlowLabel);
                fields.AddTransport(ip6.NextHeader, ip6.Payload, IpProtocol.Icmpv6);
                break;
        }

        return fields;
    }

    private void AddTransport(byte protocol, ReadOnlySpan<byte> payload, byte icmpProtocol)
    {
        if (protocol == IpProtocol.Tcp && TcpView.TryParse(payload, out TcpView tcp))
        {
            U16(OxmBasicField.TcpSrc, tcp.SourcePort);
            U16(OxmBasicField.TcpDst, tcp.DestinationPort);
        }
        else if (protocol == IpProtocol.Udp && UdpView.TryParse(payload, out UdpView udp))
        {
            U16(OxmBasicField.UdpSrc, udp.SourcePort);
            U16(OxmBasicField.UdpDst, udp.DestinationPort);
        }
        else if (protocol == icmpProtocol && payload.Length >= 2)
        {
            bool v4 = icmpProtocol == IpProtocol.Icmp;
            Set(v4 ? OxmBasicField.Icmpv4Type : OxmBasicField.Icmpv6Type, payload[..1]);
            Set(v4 ? OxmBasicField.Icmpv4Code : OxmBasicField.Icmpv6Code, payload.Slice(1, 1));
        }
    }

    private void Set(OxmBasicField field, ReadOnlySpan<byte> value) => _values[field] = value.ToArray();

    private void U16(OxmBasicField field, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        _values[field] = bytes;
    }

    private void U32(OxmBasicField field, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _values[field] = bytes;
    }

    private void U64(OxmBasicField field, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _values[field] = bytes;
    }
}
