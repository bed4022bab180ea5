// Applies set-field and push/pop VLAN to a frame's bytes the way a switch does: a rewritten IPv4 address
// also gets its header checksum and the TCP/UDP pseudo-header checksum fixed, a rewritten port its L4
// checksum, an ICMP type/code the ICMP checksum. A field the packet does not carry is left alone.
using System.Buffers.Binary;
using Patchbay.OpenFlow.Match;
using Patchbay.Packets;

namespace Patchbay.Core.Simulation;

internal static class FrameRewriter
{
    /// <summary>The fields set-field may write in the model; any other is refused when the flow is added.</summary>
    public static bool CanSet(OxmBasicField field) => field is
        OxmBasicField.EthDst or OxmBasicField.EthSrc or OxmBasicField.VlanVid or OxmBasicField.VlanPcp
        or OxmBasicField.IpDscp or OxmBasicField.IpEcn or OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst
        or OxmBasicField.TcpSrc or OxmBasicField.TcpDst or OxmBasicField.UdpSrc or OxmBasicField.UdpDst
        or OxmBasicField.Icmpv4Type or OxmBasicField.Icmpv4Code
        or OxmBasicField.ArpOp or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa or OxmBasicField.ArpSha or OxmBasicField.ArpTha;

    public static void SetField(byte[] frame, OxmField field)
    {
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet))
        {
            return;
        }

        ReadOnlySpan<byte> value = field.Value.Span;
        int l3 = ethernet.HeaderLength;
        switch (field.BasicField)
        {
            case OxmBasicField.EthDst:
                value.CopyTo(frame);
                return;
            case OxmBasicField.EthSrc:
                value.CopyTo(frame.AsSpan(MacAddress.Size));
                return;
            case OxmBasicField.VlanVid when ethernet.HasVlan:
                WriteTci(frame, (ushort)((ethernet.VlanTci & 0xf000) | (BinaryPrimitives.ReadUInt16BigEndian(value) & 0x0fff)));
                return;
            case OxmBasicField.VlanPcp when ethernet.HasVlan:
                WriteTci(frame, (ushort)((ethernet.VlanTci & 0x1fff) | ((value[0] & 7) << 13)));
                return;
            case OxmBasicField.ArpOp or OxmBasicField.ArpSha or OxmBasicField.ArpSpa or OxmBasicField.ArpTha or OxmBasicField.ArpTpa
                when ethernet.EtherType == EtherType.Arp && ArpView.TryParse(ethernet.Payload, out _):
                value.CopyTo(frame.AsSpan(l3 + ArpOffset(field.BasicField)));
                return;
        }

        if (ethernet.EtherType != EtherType.Ipv4 || !Ipv4View.TryParse(ethernet.Payload, out Ipv4View ip))
        {
            return;
        }

        int headerLength = ip.HeaderLength;
        int totalLength = ip.TotalLength;
        bool firstFragment = ip.FragmentOffset == 0;
        byte protocol = ip.Protocol;
        Span<byte> packet = frame.AsSpan(l3, totalLength);
        Span<byte> l4 = packet[headerLength..];
        switch (field.BasicField)
        {
            case OxmBasicField.Ipv4Src:
                value.CopyTo(packet[Ipv4View.SourceOffset..]);
                break;
            case OxmBasicField.Ipv4Dst:
                value.CopyTo(packet[Ipv4View.DestinationOffset..]);
                break;
            case OxmBasicField.IpDscp:
                packet[1] = (byte)((value[0] << 2) | (packet[1] & 3));
                break;
            case OxmBasicField.IpEcn:
                packet[1] = (byte)((packet[1] & 0xfc) | (value[0] & 3));
                break;
            case OxmBasicField.TcpSrc or OxmBasicField.TcpDst when firstFragment && protocol == IpProtocol.Tcp && TcpView.TryParse(l4, out _):
            case OxmBasicField.UdpSrc or OxmBasicField.UdpDst when firstFragment && protocol == IpProtocol.Udp && UdpView.TryParse(l4, out _):
                bool source = field.BasicField is OxmBasicField.TcpSrc or OxmBasicField.UdpSrc;
                value.CopyTo(l4[(source ? 0 : 2)..]);
                break;
            case OxmBasicField.Icmpv4Type or OxmBasicField.Icmpv4Code when firstFragment && protocol == IpProtocol.Icmp && IcmpView.TryParse(l4, out _):
                l4[field.BasicField == OxmBasicField.Icmpv4Type ? 0 : 1] = value[0];
                if (!ip.IsFragment)
                {
                    IcmpPacket.UpdateChecksum(l4);
                }

                break;
            default:
                return;
        }

        Ipv4Packet.UpdateChecksum(packet[..headerLength]);
        if (!ip.IsFragment)
        {
            FixTransportChecksum(packet, headerLength, protocol);
        }
    }

    /// <summary>Pushes an 802.1Q/802.1ad tag whose TCI copies the current outer tag, or 0 (spec 1.3.5, 5.12.1).</summary>
    public static byte[] PushVlan(byte[] frame, ushort tpid)
    {
        if (frame.Length < EthernetFrame.HeaderSize)
        {
            return frame;
        }

        ushort tci = EthernetFrame.TryParse(frame, out EthernetFrame ethernet) && ethernet.HasVlan ? ethernet.VlanTci : (ushort)0;
        var tagged = new byte[frame.Length + EthernetFrame.VlanTagSize];
        frame.AsSpan(0, EthernetFrame.TypeOffset).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(EthernetFrame.TypeOffset), tpid);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(EthernetFrame.TypeOffset + 2), tci);
        frame.AsSpan(EthernetFrame.TypeOffset).CopyTo(tagged.AsSpan(EthernetFrame.TypeOffset + EthernetFrame.VlanTagSize));
        return tagged;
    }

    /// <summary>Removes the outer VLAN tag; an untagged frame is returned unchanged.</summary>
    public static byte[] PopVlan(byte[] frame)
    {
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet) || !ethernet.HasVlan)
        {
            return frame;
        }

        var untagged = new byte[frame.Length - EthernetFrame.VlanTagSize];
        frame.AsSpan(0, EthernetFrame.TypeOffset).CopyTo(untagged);
        frame.AsSpan(EthernetFrame.TypeOffset + EthernetFrame.VlanTagSize).CopyTo(untagged.AsSpan(EthernetFrame.TypeOffset));
        return untagged;
    }

    private static void FixTransportChecksum(Span<byte> packet, int headerLength, byte protocol)
    {
        var source = Ipv4Address.Read(packet[Ipv4View.SourceOffset..]);
        var destination = Ipv4Address.Read(packet[Ipv4View.DestinationOffset..]);
        Span<byte> l4 = packet[headerLength..];
        if (protocol == IpProtocol.Tcp && TcpView.TryParse(l4, out _))
        {
            TcpPacket.UpdateChecksum(l4, source, destination);
        }
        else if (protocol == IpProtocol.Udp && UdpView.TryParse(l4, out UdpView udp) && udp.Checksum != 0)
        {
            UdpPacket.UpdateChecksum(l4[..udp.Length], source, destination);
        }
    }

    private static void WriteTci(byte[] frame, ushort tci) =>
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(EthernetFrame.TypeOffset + 2), tci);

    private static int ArpOffset(OxmBasicField field) => field switch
    {
        OxmBasicField.ArpOp => 6,
        OxmBasicField.ArpSha => 8,
        OxmBasicField.ArpSpa => 14,
        OxmBasicField.ArpTha => 18,
        _ => 24,
    };
}
