// OFPT_MULTIPART_REQUEST (spec 1.3.5, 7.3.5): ofp_header, type u16, flags u16, pad[4], then a body
// whose layout the multipart type decides. Each concrete request writes only its body.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public abstract record MultipartRequest : OfpMessage
{
    /// <summary>sizeof(struct ofp_multipart_request), ofp_header included.</summary>
    public const int HeaderSize = 16;

    /// <summary>The multipart header's part after ofp_header: type, flags, pad.</summary>
    internal const int PrefixSize = HeaderSize - OfpConstants.HeaderSize;

    public sealed override OfpType Type => OfpType.MultipartRequest;

    public abstract MultipartType MultipartType { get; }

    public MultipartRequestFlags Flags { get; init; }

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
        Declared.Check(PayloadLength, writer.Position - start, $"{MultipartType} request body");
    }

    /// <summary>Writes exactly <see cref="PayloadLength"/> bytes.</summary>
    protected abstract void WritePayload(ref WireWriter writer);

    /// <summary>
    /// Joins the parts of one request split over OFPMPF_REQ_MORE (in 1.3 only table-features and
    /// experimenter bodies can need it) into one request with More cleared.
    /// </summary>
    public static MultipartRequest Combine(IReadOnlyList<MultipartRequest> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new InvalidOperationException("no multipart request parts to combine");
        }

        MultipartRequest first = parts[0];
        foreach (MultipartRequest part in parts)
        {
            if (part.MultipartType != first.MultipartType || part.GetType() != first.GetType())
            {
                throw new InvalidOperationException($"cannot combine a {part.MultipartType} request part with {first.MultipartType} parts");
            }

            if (part.Xid != first.Xid)
            {
                throw new InvalidOperationException($"cannot combine request parts of xid {part.Xid} and {first.Xid}");
            }
        }

        MultipartRequest combined = parts.Count == 1 ? first : first.CombineParts(parts);
        return combined with { Flags = combined.Flags & ~MultipartRequestFlags.More };
    }

    /// <summary>
    /// Cuts this request into messages of at most <paramref name="maxMessageLength"/> bytes with this xid and
    /// More set on all but the last (the inverse of <see cref="Combine"/>). Only a table-features body can be
    /// cut, between ofp_table_features; a request that fits comes back as is.
    /// </summary>
    public IReadOnlyList<MultipartRequest> Split(int maxMessageLength = OfpConstants.MaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageLength, HeaderSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, OfpConstants.MaxMessageLength);
        if (Length <= maxMessageLength)
        {
            return [this];
        }

        IReadOnlyList<MultipartRequest> pieces = SplitPayload(maxMessageLength - HeaderSize);
        var parts = new MultipartRequest[pieces.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = pieces[i] with { Xid = Xid, Flags = i == parts.Length - 1 ? Flags : Flags | MultipartRequestFlags.More };
        }

        return parts;
    }

    /// <summary>Cuts the body into pieces of at most <paramref name="maxPayload"/> bytes each.</summary>
    private protected virtual IReadOnlyList<MultipartRequest> SplitPayload(int maxPayload) =>
        throw new InvalidOperationException($"a {MultipartType} request body of {PayloadLength} bytes exceeds {maxPayload} and cannot be split");

    /// <summary>Joins two or more parts already checked to be of this type and xid.</summary>
    private protected virtual MultipartRequest CombineParts(IReadOnlyList<MultipartRequest> parts) =>
        throw new InvalidOperationException($"a {MultipartType} request is one structure and cannot arrive in {parts.Count} parts");

    internal static MultipartRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        if (body.Remaining < PrefixSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"multipart request of {header.Length} bytes is shorter than its {HeaderSize}-byte header");
        }

        var type = (MultipartType)body.U16();
        var flags = (MultipartRequestFlags)body.U16();
        body.Pad(4);
        var payload = new WireReader(body.Rest, ProtocolErrorReason.BadMultipartBody);
        MultipartRequest request = type switch
        {
            MultipartType.Desc => DescRequest.ReadPayload(ref payload),
            MultipartType.Flow => FlowStatsRequest.ReadPayload(ref payload),
            MultipartType.Aggregate => AggregateStatsRequest.ReadPayload(ref payload),
            MultipartType.Table => TableStatsRequest.ReadPayload(ref payload),
            MultipartType.PortStats => PortStatsRequest.ReadPayload(ref payload),
            MultipartType.Queue => QueueStatsRequest.ReadPayload(ref payload),
            MultipartType.Group => GroupStatsRequest.ReadPayload(ref payload),
            MultipartType.GroupDesc => GroupDescRequest.ReadPayload(ref payload),
            MultipartType.GroupFeatures => GroupFeaturesRequest.ReadPayload(ref payload),
            MultipartType.Meter => MeterStatsRequest.ReadPayload(ref payload),
            MultipartType.MeterConfig => MeterConfigRequest.ReadPayload(ref payload),
            MultipartType.MeterFeatures => MeterFeaturesRequest.ReadPayload(ref payload),
            MultipartType.TableFeatures => TableFeaturesRequest.ReadPayload(ref payload),
            MultipartType.PortDesc => PortDescRequest.ReadPayload(ref payload),
            MultipartType.Experimenter => ExperimenterMultipartRequest.ReadPayload(ref payload),
            _ => OpenFlowProtocolException.Throw<MultipartRequest>(ProtocolErrorReason.BadValue, $"multipart request type {(ushort)type}"),
        };
        return request with { Xid = header.Xid, Flags = flags };
    }
}
