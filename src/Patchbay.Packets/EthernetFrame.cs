// Ethernet II frame (IEEE 802.3 with EtherType), at most one 802.1Q/802.1ad tag:
//   destination[6] source[6] (TPID u16 = 0x8100|0x88a8, TCI u16 = PCP:3 DEI:1 VID:12)? type u16, payload.
// A zero-copy view over untrusted bytes: TryParse never throws and slices nothing it has not length-checked.
using System.Buffers;
using System.Buffers.Binary;

namespace Patchbay.Packets;

public readonly ref struct EthernetFrame
{
    public const int HeaderSize = 14;

    public const int VlanTagSize = 4;

    /// <summary>Offset of the EtherType (or TPID) after the two addresses.</summary>
    public const int TypeOffset = 12;

    private EthernetFrame(ReadOnlySpan<byte> frame, bool hasVlan, int headerLength)
    {
        Bytes = frame;
        HasVlan = hasVlan;
        HeaderLength = headerLength;
    }

    /// <summary>The whole frame as given.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public MacAddress Destination => MacAddress.Read(Bytes);

    public MacAddress Source => MacAddress.Read(Bytes[MacAddress.Size..]);

    public bool HasVlan { get; }

    /// <summary>The tag's TPID (0x8100 or 0x88a8), or 0 for an untagged frame.</summary>
    public ushort VlanTpid => HasVlan ? BinaryPrimitives.ReadUInt16BigEndian(Bytes[TypeOffset..]) : (ushort)0;

    /// <summary>The tag control information, or 0 for an untagged frame.</summary>
    public ushort VlanTci => HasVlan ? BinaryPrimitives.ReadUInt16BigEndian(Bytes[(TypeOffset + 2)..]) : (ushort)0;

    public ushort VlanId => (ushort)(VlanTci & 0x0fff);

    public byte VlanPriority => (byte)(VlanTci >> 13);

    /// <summary>The EtherType of the payload (after the VLAN tag when there is one).</summary>
    public ushort EtherType => BinaryPrimitives.ReadUInt16BigEndian(Bytes[(HeaderLength - 2)..]);

    /// <summary>14, or 18 with a VLAN tag: the offset of the payload.</summary>
    public int HeaderLength { get; }

    public ReadOnlySpan<byte> Payload => Bytes[HeaderLength..];

    public static bool TryParse(ReadOnlySpan<byte> frame, out EthernetFrame result)
    {
        result = default;
        if (frame.Length < HeaderSize)
        {
            return false;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[TypeOffset..]);
        bool tagged = type is Packets.EtherType.Vlan or Packets.EtherType.QinQ;
        int headerLength = tagged ? HeaderSize + VlanTagSize : HeaderSize;
        if (frame.Length < headerLength)
        {
            return false;
        }

        ushort inner = BinaryPrimitives.ReadUInt16BigEndian(frame[(headerLength - 2)..]);
        if (inner < Packets.EtherType.Minimum)
        {
            // An 802.3 length field (LLC/SNAP) or nonsense: not a frame the data path handles.
            return false;
        }

        result = new EthernetFrame(frame, tagged, headerLength);
        return true;
    }

    /// <summary>Bytes a header takes: 14, or 18 with a tag.</summary>
    public static int GetHeaderLength(bool vlanTagged) => vlanTagged ? HeaderSize + VlanTagSize : HeaderSize;

    /// <summary>
    /// Writes the Ethernet header (with an 802.1Q tag when <paramref name="vlanTci"/> is given) and returns its length.
    /// Layout: destination, source, [0x8100, TCI], EtherType.
    /// </summary>
    public static int WriteHeader(Span<byte> destination, MacAddress dst, MacAddress src, ushort etherType, ushort? vlanTci = null)
    {
        int length = GetHeaderLength(vlanTci.HasValue);
        if (destination.Length < length)
        {
            throw new ArgumentException($"an Ethernet header needs {length} bytes, {destination.Length} given", nameof(destination));
        }

        dst.Write(destination);
        src.Write(destination[MacAddress.Size..]);
        int offset = TypeOffset;
        if (vlanTci is ushort tci)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], Packets.EtherType.Vlan);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], tci);
            offset += VlanTagSize;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], etherType);
        return length;
    }

    /// <summary>Writes header and payload into <paramref name="writer"/>; returns the frame length.</summary>
    public static int Write(IBufferWriter<byte> writer, MacAddress dst, MacAddress src, ushort etherType, ReadOnlySpan<byte> payload, ushort? vlanTci = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetHeaderLength(vlanTci.HasValue) + payload.Length;
        Span<byte> span = writer.GetSpan(length);
        int header = WriteHeader(span, dst, src, etherType, vlanTci);
        payload.CopyTo(span[header..]);
        writer.Advance(length);
        return length;
    }

    /// <summary>A new frame: header and payload.</summary>
    public static byte[] Build(MacAddress dst, MacAddress src, ushort etherType, ReadOnlySpan<byte> payload, ushort? vlanTci = null)
    {
        var frame = new byte[GetHeaderLength(vlanTci.HasValue) + payload.Length];
        int header = WriteHeader(frame, dst, src, etherType, vlanTci);
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
