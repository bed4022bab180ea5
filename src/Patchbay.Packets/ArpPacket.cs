// Builds ARP packets and frames (RFC 826 layout, see ArpView): requests, and the reply the controller sends
// for a container's request, carrying the MAC the container should use.
using System.Buffers;
using System.Buffers.Binary;

namespace Patchbay.Packets;

public static class ArpPacket
{
    /// <summary>Length of an ARP frame without a VLAN tag: 14 + 28.</summary>
    public const int FrameSize = EthernetFrame.HeaderSize + ArpView.Size;

    /// <summary>Writes the 28 ARP bytes.</summary>
    public static void Write(Span<byte> destination, ushort operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp)
    {
        if (destination.Length < ArpView.Size)
        {
            throw new ArgumentException($"an ARP packet needs {ArpView.Size} bytes, {destination.Length} given", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, ArpView.HardwareTypeEthernet);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], EtherType.Ipv4);
        destination[4] = MacAddress.Size;
        destination[5] = Ipv4Address.Size;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], operation);
        senderMac.Write(destination[8..]);
        senderIp.Write(destination[14..]);
        targetMac.Write(destination[18..]);
        targetIp.Write(destination[24..]);
    }

    /// <summary>A broadcast "who has <paramref name="targetIp"/>" frame.</summary>
    public static byte[] BuildRequest(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp, ushort? vlanTci = null)
    {
        var frame = new byte[EthernetFrame.GetHeaderLength(vlanTci.HasValue) + ArpView.Size];
        int header = EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, senderMac, EtherType.Arp, vlanTci);
        Write(frame.AsSpan(header), ArpOperation.Request, senderMac, senderIp, MacAddress.Zero, targetIp);
        return frame;
    }

    /// <summary>A reply frame from (<paramref name="senderMac"/>, <paramref name="senderIp"/>) to (<paramref name="targetMac"/>, <paramref name="targetIp"/>).</summary>
    public static byte[] BuildReply(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp, ushort? vlanTci = null)
    {
        var frame = new byte[EthernetFrame.GetHeaderLength(vlanTci.HasValue) + ArpView.Size];
        int header = EthernetFrame.WriteHeader(frame, targetMac, senderMac, EtherType.Arp, vlanTci);
        Write(frame.AsSpan(header), ArpOperation.Reply, senderMac, senderIp, targetMac, targetIp);
        return frame;
    }

    /// <summary>
    /// Writes the reply to the ARP request in <paramref name="requestFrame"/> ("<c>tpa</c> is at <paramref name="answer"/>",
    /// addressed to the requester, keeping the request's VLAN tag) into <paramref name="destination"/> without allocating.
    /// False when the frame is not an ARP request or <paramref name="destination"/> is too small.
    /// </summary>
    public static bool TryWriteReply(ReadOnlySpan<byte> requestFrame, MacAddress answer, Span<byte> destination, out int written)
    {
        written = 0;
        if (!ArpView.TryParseFrame(requestFrame, out EthernetFrame ethernet, out ArpView request) || !request.IsRequest)
        {
            return false;
        }

        int length = ethernet.HeaderLength + ArpView.Size;
        if (destination.Length < length)
        {
            return false;
        }

        int header = EthernetFrame.WriteHeader(destination, request.SenderMac, answer, EtherType.Arp, ethernet.HasVlan ? ethernet.VlanTci : null);
        Write(destination[header..], ArpOperation.Reply, answer, request.TargetIp, request.SenderMac, request.SenderIp);
        written = length;
        return true;
    }

    /// <summary>As <see cref="TryWriteReply(ReadOnlySpan{byte}, MacAddress, Span{byte}, out int)"/>, into <paramref name="writer"/>.</summary>
    public static bool TryWriteReply(ReadOnlySpan<byte> requestFrame, MacAddress answer, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!TryWriteReply(requestFrame, answer, writer.GetSpan(EthernetFrame.HeaderSize + EthernetFrame.VlanTagSize + ArpView.Size), out int written))
        {
            return false;
        }

        writer.Advance(written);
        return true;
    }

    /// <summary>As <see cref="TryWriteReply(ReadOnlySpan{byte}, MacAddress, Span{byte}, out int)"/>, into a new array.</summary>
    public static bool TryBuildReply(ReadOnlySpan<byte> requestFrame, MacAddress answer, out byte[] replyFrame)
    {
        Span<byte> scratch = stackalloc byte[EthernetFrame.HeaderSize + EthernetFrame.VlanTagSize + ArpView.Size];
        if (!TryWriteReply(requestFrame, answer, scratch, out int written))
        {
            replyFrame = [];
            return false;
        }

        replyFrame = scratch[..written].ToArray();
        return true;
    }

    /// <summary>As <see cref="TryBuildReply"/>, for a frame already known to be an ARP request.</summary>
    public static byte[] BuildReply(ReadOnlySpan<byte> requestFrame, MacAddress answer) =>
        TryBuildReply(requestFrame, answer, out byte[] reply)
            ? reply
            : throw new ArgumentException("the frame is not an Ethernet ARP request for IPv4", nameof(requestFrame));
}
