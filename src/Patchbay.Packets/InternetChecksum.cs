// The Internet checksum (RFC 1071): one's-complement sum of 16-bit big-endian words, folded and inverted.
// IPv4 covers its header; ICMP its message; TCP and UDP their segment plus the IPv4 pseudo-header (RFC 793, 768).
using System.Buffers.Binary;

namespace Patchbay.Packets;

public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running 32-bit sum; an odd last byte is padded with zero.</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        ulong total = sum;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            total += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            total += (uint)data[i] << 8;
        }

        while (total >> 32 != 0)
        {
            total = (total & 0xffff_ffff) + (total >> 32);
        }

        return (uint)total;
    }

    /// <summary>Folds the carries of a running sum into 16 bits and inverts it: the value that goes on the wire.</summary>
    public static ushort Finish(uint sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>Running sum of the IPv4 pseudo-header: source, destination, zero, protocol, L4 length.</summary>
    public static uint PseudoHeader(Ipv4Address source, Ipv4Address destination, byte protocol, int length)
    {
        ulong sum = (source.Value >> 16) + (source.Value & 0xffff)
            + (destination.Value >> 16) + (destination.Value & 0xffff)
            + protocol + (uint)length;
        return (uint)((sum & 0xffff_ffff) + (sum >> 32));
    }

    /// <summary>Checksum of a TCP or UDP segment (its checksum field must be zero or is included as is) under the IPv4 pseudo-header.</summary>
    public static ushort ComputeTransport(Ipv4Address source, Ipv4Address destination, byte protocol, ReadOnlySpan<byte> segment) =>
        Finish(Add(PseudoHeader(source, destination, protocol, segment.Length), segment));
}
