// OFPMP_EXPERIMENTER (spec 1.3.5, 7.3.5.15): body is ofp_experimenter_multipart_header
// (experimenter u32, exp_type u32) followed by experimenter-defined data, kept opaque.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record ExperimenterMultipartRequest(uint Experimenter, uint ExpType, ReadOnlyMemory<byte> Data) : MultipartRequest
{
    /// <summary>sizeof(struct ofp_experimenter_multipart_header).</summary>
    public const int ExperimenterHeaderSize = 8;

    public override MultipartType MultipartType => MultipartType.Experimenter;

    public override int PayloadLength => ExperimenterHeaderSize + Data.Length;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(Experimenter);
        writer.U32(ExpType);
        writer.Bytes(Data.Span);
    }

    private protected override MultipartRequest CombineParts(IReadOnlyList<MultipartRequest> parts)
    {
        foreach (MultipartRequest part in parts)
        {
            var request = (ExperimenterMultipartRequest)part;
            if (request.Experimenter != Experimenter || request.ExpType != ExpType)
            {
                throw new InvalidOperationException($"cannot combine experimenter {request.Experimenter:x8}/{request.ExpType} with {Experimenter:x8}/{ExpType}");
            }
        }

        return this with { Data = OpaqueBody.Concat(parts, static p => ((ExperimenterMultipartRequest)p).Data) };
    }

    internal static ExperimenterMultipartRequest ReadPayload(ref WireReader payload)
    {
        if (payload.Remaining < ExperimenterHeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"experimenter multipart body of {payload.Remaining} bytes is shorter than its 8-byte header");
        }

        return new ExperimenterMultipartRequest(payload.U32(), payload.U32(), payload.RestArray());
    }

    // ReadOnlyMemory compares by reference; decoded data must equal the bytes that were sent.
    public bool Equals(ExperimenterMultipartRequest? other) =>
        other is not null && base.Equals(other) && Experimenter == other.Experimenter && ExpType == other.ExpType && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Experimenter, ExpType, Data.Length);
}

public sealed record ExperimenterMultipartReply(uint Experimenter, uint ExpType, ReadOnlyMemory<byte> Data) : MultipartReply
{
    /// <summary>sizeof(struct ofp_experimenter_multipart_header).</summary>
    public const int ExperimenterHeaderSize = 8;

    public override MultipartType MultipartType => MultipartType.Experimenter;

    public override int PayloadLength => ExperimenterHeaderSize + Data.Length;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(Experimenter);
        writer.U32(ExpType);
        writer.Bytes(Data.Span);
    }

    private protected override MultipartReply CombineParts(IReadOnlyList<MultipartReply> parts)
    {
        foreach (MultipartReply part in parts)
        {
            var reply = (ExperimenterMultipartReply)part;
            if (reply.Experimenter != Experimenter || reply.ExpType != ExpType)
            {
                throw new InvalidOperationException($"cannot combine experimenter {reply.Experimenter:x8}/{reply.ExpType} with {Experimenter:x8}/{ExpType}");
            }
        }

        return this with { Data = OpaqueBody.Concat(parts, static p => ((ExperimenterMultipartReply)p).Data) };
    }

    internal static ExperimenterMultipartReply ReadPayload(ref WireReader payload)
    {
        if (payload.Remaining < ExperimenterHeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"experimenter multipart body of {payload.Remaining} bytes is shorter than its 8-byte header");
        }

        return new ExperimenterMultipartReply(payload.U32(), payload.U32(), payload.RestArray());
    }

    // ReadOnlyMemory compares by reference; decoded data must equal the bytes that were sent.
    public bool Equals(ExperimenterMultipartReply? other) =>
        other is not null && base.Equals(other) && Experimenter == other.Experimenter && ExpType == other.ExpType && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Experimenter, ExpType, Data.Length);
}
