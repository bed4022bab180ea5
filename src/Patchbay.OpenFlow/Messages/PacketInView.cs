// A PACKET_IN read in place: the same layout and the same checks as PacketIn (spec 1.3.5, 7.4.1), but
// every field is read from the frame on demand and the match and packet are slices of it, so the
// per-packet path allocates nothing (STYLE.md rule 7). The view lives only as long as the frame.
using System.Buffers.Binary;
using Patchbay.OpenFlow.Match;

namespace Patchbay.OpenFlow.Messages;

public readonly ref struct PacketInView
{
    // Offsets in the frame: ofp_header (8), buffer_id, total_len, reason, table_id, cookie, then ofp_match.
    private const int BufferIdOffset = 8;
    private const int TotalLenOffset = 12;
    private const int ReasonOffset = 14;
    private const int TableIdOffset = 15;
    private const int CookieOffset = 16;
    private const int MatchOffset = 24;
    private const int OxmsOffset = MatchOffset + OfpMatch.HeaderSize;

    private readonly ReadOnlySpan<byte> _frame;
    private readonly int _matchLength;
    private readonly int _dataOffset;

    private PacketInView(ReadOnlySpan<byte> frame, int matchLength, int dataOffset)
    {
        _frame = frame;
        _matchLength = matchLength;
        _dataOffset = dataOffset;
    }

    public uint Xid => BinaryPrimitives.ReadUInt32BigEndian(_frame[4..]);

    public uint BufferId => BinaryPrimitives.ReadUInt32BigEndian(_frame[BufferIdOffset..]);

    public ushort TotalLen => BinaryPrimitives.ReadUInt16BigEndian(_frame[TotalLenOffset..]);

    public PacketInReason Reason => (PacketInReason)_frame[ReasonOffset];

    public byte TableId => _frame[TableIdOffset];

    public ulong Cookie => BinaryPrimitives.ReadUInt64BigEndian(_frame[CookieOffset..]);

    /// <summary>The match's OXM TLVs, back to back, without the ofp_match header and padding.</summary>
    public ReadOnlySpan<byte> MatchOxms => _frame.Slice(OxmsOffset, _matchLength - OfpMatch.HeaderSize);

    /// <summary>The packet (or its first bytes, when the switch buffered it).</summary>
    public ReadOnlySpan<byte> Data => _frame[_dataOffset..];

    /// <summary>Decodes the whole message into a <see cref="PacketIn"/> record, which allocates.</summary>
    public PacketIn ToMessage() => (PacketIn)OfpMessageReader.Decode(_frame);

    public bool TryGetInPort(out uint port)
    {
        if (TryGetField(OxmBasicField.InPort, out ReadOnlySpan<byte> value))
        {
            port = BinaryPrimitives.ReadUInt32BigEndian(value);
            return true;
        }

        port = 0;
        return false;
    }

    /// <summary>Finds an unmasked OpenFlow-basic field in the match and returns its value bytes.</summary>
    public bool TryGetField(OxmBasicField field, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> oxms = MatchOxms;
        while (oxms.Length >= OxmField.HeaderSize)
        {
            int payload = oxms[3];
            if (BinaryPrimitives.ReadUInt16BigEndian(oxms) == (ushort)OxmClass.OpenFlowBasic && oxms[2] == (byte)field << 1)
            {
                value = oxms.Slice(OxmField.HeaderSize, payload);
                return true;
            }

            oxms = oxms[(OxmField.HeaderSize + payload)..];
        }

        value = default;
        return false;
    }

    /// <summary>Parses a whole PACKET_IN frame; false if it is not one or is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out PacketInView view)
    {
        if (Validate(frame, out int matchLength, out int dataOffset, out _, out _) is null)
        {
            view = new PacketInView(frame, matchLength, dataOffset);
            return true;
        }

        view = default;
        return false;
    }

    /// <summary>Parses a whole PACKET_IN frame; throws <see cref="OpenFlowProtocolException"/> with the reason PacketIn's decoder would give.</summary>
    public static PacketInView Parse(ReadOnlySpan<byte> frame)
    {
        ProtocolErrorReason? reason = Validate(frame, out int matchLength, out int dataOffset, out string detail, out int offset);
        if (reason is { } bad)
        {
            OpenFlowProtocolException.Throw(bad, $"packet-in: {detail} at offset {offset}");
        }

        return new PacketInView(frame, matchLength, dataOffset);
    }

    // Returns null when the frame is a well-formed PACKET_IN; otherwise the reason, with a constant
    // detail, so rejecting a frame in TryParse costs no allocation either.
    private static ProtocolErrorReason? Validate(ReadOnlySpan<byte> frame, out int matchLength, out int dataOffset, out string detail, out int offset)
    {
        matchLength = 0;
        dataOffset = 0;
        offset = 0;
        if (frame.Length < OfpConstants.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(frame[2..]) != frame.Length)
        {
            detail = "ofp_header.length disagrees with the frame";
            return ProtocolErrorReason.BadLength;
        }

        if (frame[0] != OfpConstants.Version13)
        {
            detail = "version is not 0x04";
            return ProtocolErrorReason.BadVersion;
        }

        if (frame[1] != (byte)OfpType.PacketIn)
        {
            detail = "not a PACKET_IN";
            return ProtocolErrorReason.BadValue;
        }

        if (frame.Length < PacketIn.Size + PacketIn.PadAfterMatch)
        {
            detail = "shorter than the smallest PACKET_IN";
            return ProtocolErrorReason.BadLength;
        }

        offset = MatchOffset;
        matchLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(MatchOffset + 2)..]);
        int paddedMatch = (matchLength + 7) & ~7;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame[MatchOffset..]) != OfpMatch.OxmMatchType)
        {
            detail = "ofp_match.type is not OFPMT_OXM";
            return ProtocolErrorReason.BadMatchLength;
        }

        if (matchLength < OfpMatch.HeaderSize || MatchOffset + paddedMatch > frame.Length)
        {
            detail = "ofp_match.length overruns the message";
            return ProtocolErrorReason.BadMatchLength;
        }

        ReadOnlySpan<byte> oxms = frame.Slice(OxmsOffset, matchLength - OfpMatch.HeaderSize);
        offset = OxmsOffset;
        while (!oxms.IsEmpty)
        {
            if (!ValidOxm(oxms, out int oxmLength, out detail))
            {
                return ProtocolErrorReason.BadOxmLength;
            }

            oxms = oxms[oxmLength..];
            offset += oxmLength;
        }

        offset = MatchOffset + paddedMatch;
        if (offset + PacketIn.PadAfterMatch > frame.Length)
        {
            detail = "no room for the padding after the match";
            return ProtocolErrorReason.Truncated;
        }

        dataOffset = offset + PacketIn.PadAfterMatch;
        detail = string.Empty;
        return null;
    }

    // The rules OxmField.Read applies: a whole header, a payload inside the match, and for a 1.3 basic
    // field exactly the value size (twice it with a mask).
    private static bool ValidOxm(ReadOnlySpan<byte> oxms, out int length, out string detail)
    {
        length = 0;
        if (oxms.Length < OxmField.HeaderSize)
        {
            detail = "OXM header overruns the match";
            return false;
        }

        int payload = oxms[3];
        length = OxmField.HeaderSize + payload;
        if (length > oxms.Length)
        {
            detail = "OXM length overruns the match";
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(oxms) == (ushort)OxmClass.OpenFlowBasic)
        {
            int size = OxmBasicFields.ValueSize((OxmBasicField)(oxms[2] >> 1));
            bool hasMask = (oxms[2] & 1) != 0;
            if (size != 0 && payload != (hasMask ? size * 2 : size))
            {
                detail = "OXM length disagrees with the field's size";
                return false;
            }
        }

        detail = string.Empty;
        return true;
    }
}
