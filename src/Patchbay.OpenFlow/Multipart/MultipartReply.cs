// OFPT_MULTIPART_REPLY (spec 1.3.5, 7.3.5): ofp_header, type u16, flags u16, pad[4], then a body
// whose layout the multipart type decides. A reply too long for one message is split over several
// with OFPMPF_REPLY_MORE set on all but the last; Combine joins them back.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public abstract record MultipartReply : OfpMessage
{
    /// <summary>sizeof(struct ofp_multipart_reply), ofp_header included.</summary>
    public const int HeaderSize = 16;

    internal const int PrefixSize = HeaderSize - OfpConstants.HeaderSize;

    public sealed override OfpType Type => OfpType.MultipartReply;

    public abstract MultipartType MultipartType { get; }

    public MultipartReplyFlags Flags { get; init; }

    /// <summary>Length of the body after the 16-byte multipart header.</summary>
    public abstract int PayloadLength { get; }

    protected sealed override int BodyLength => PrefixSize + PayloadLength;

    protected sealed override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)MultipartType);
        writer.U16((ushort)Flags);
        writer.Pad(4);
        int start = writer.Position;
        WritePayload(ref writer);
        Declared.Check(PayloadLength, writer.Position - start, $"{MultipartType} reply body");
    }

    /// <summary>Writes exactly <see cref="PayloadLength"/> bytes.</summary>
    protected abstract void WritePayload(ref WireWriter writer);

    /// <summary>
    /// Joins the parts of one reply that the switch split over OFPMPF_REPLY_MORE into one reply
    /// (More cleared, xid of the parts). List-shaped bodies are concatenated in order; a type whose
    /// body is one structure (Desc, Aggregate, GroupFeatures, MeterFeatures) must come as one part.
    /// </summary>
    public static MultipartReply Combine(IReadOnlyList<MultipartReply> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new InvalidOperationException("no multipart reply parts to combine");
        }

        MultipartReply first = parts[0];
        foreach (MultipartReply part in parts)
        {
            if (part.MultipartType != first.MultipartType || part.GetType() != first.GetType())
            {
                throw new InvalidOperationException($"cannot combine a {part.MultipartType} reply part with {first.MultipartType} parts");
            }

            if (part.Xid != first.Xid)
            {
                throw new InvalidOperationException($"cannot combine reply parts of xid {part.Xid} and {first.Xid}");
            }
        }

        MultipartReply combined = parts.Count == 1 ? first : first.CombineParts(parts);
        return combined with { Flags = combined.Flags & ~MultipartReplyFlags.More };
    }

    /// <summary>
    /// Cuts this reply into messages of at most <paramref name="maxMessageLength"/> bytes with this xid and
    /// More set on all but the last (the inverse of <see cref="Combine"/>). List bodies are cut between
    /// entries, table-features bodies between ofp_table_features; a reply that fits comes back as is.
    /// </summary>
    public IReadOnlyList<MultipartReply> Split(int maxMessageLength = OfpConstants.MaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, HeaderSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, OfpConstants.MaxMessageLength);
        if (Length <= maxMessageLength)
        {
            return [this];
        }

        IReadOnlyList<MultipartReply> pieces = SplitPayload(maxMessageLength - HeaderSize);
        var parts = new MultipartReply[pieces.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = pieces[i] with { Xid = Xid, Flags = i == parts.Length - 1 ? Flags : Flags | MultipartReplyFlags.More };
        }

        return parts;
    }

    /// <summary>Cuts the body into pieces of at most <paramref name="maxPayload"/> bytes each.</summary>
    private protected virtual IReadOnlyList<MultipartReply> SplitPayload(int maxPayload) =>
        throw new InvalidOperationException($"a {MultipartType} reply body of {PayloadLength} bytes exceeds {maxPayload} and cannot be split");

    /// <summary>Joins two or more parts already checked to be of this type and xid.</summary>
    private protected virtual MultipartReply CombineParts(IReadOnlyList<MultipartReply> parts) =>
        throw new InvalidOperationException($"a {MultipartType} reply is one structure and cannot arrive in {parts.Count} parts");

    internal static MultipartReply ReadBody(OfpHeader header, ref WireReader body)
    {
        if (body.Remaining < PrefixSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"multipart reply of {header.Length} bytes is shorter than its {HeaderSize}-byte header");
        }

        var type = (MultipartType)body.U16();
        var flags = (MultipartReplyFlags)body.U16();
        body.Pad(4);
        var payload = new WireReader(body.Rest, ProtocolErrorReason.BadMultipartBody);
        MultipartReply reply = type switch
        {
            MultipartType.Desc => DescReply.ReadPayload(ref payload),
            MultipartType.Flow => FlowStatsReply.ReadPayload(ref payload),
            MultipartType.Aggregate => AggregateStatsReply.ReadPayload(ref payload),
            MultipartType.Table => TableStatsReply.ReadPayload(ref payload),
            MultipartType.PortStats => PortStatsReply.ReadPayload(ref payload),
            MultipartType.Queue => QueueStatsReply.ReadPayload(ref payload),
            MultipartType.Group => GroupStatsReply.ReadPayload(ref payload),
            MultipartType.GroupDesc => GroupDescReply.ReadPayload(ref payload),
            MultipartType.GroupFeatures => GroupFeaturesReply.ReadPayload(ref payload),
            MultipartType.Meter => MeterStatsReply.ReadPayload(ref payload),
            MultipartType.MeterConfig => MeterConfigReply.ReadPayload(ref payload),
            MultipartType.MeterFeatures => MeterFeaturesReply.ReadPayload(ref payload),
            MultipartType.TableFeatures => TableFeaturesReply.ReadPayload(ref payload),
            MultipartType.PortDesc => PortDescReply.ReadPayload(ref payload),
            MultipartType.Experimenter => ExperimenterMultipartReply.ReadPayload(ref payload),
            _ => OpenFlowProtocolException.Throw<MultipartReply>(ProtocolErrorReason.BadValue, $"multipart reply type {(ushort)type}"),
        };
        return reply with { Xid = header.Xid, Flags = flags };
    }
}
