// OFPMP_TABLE_FEATURES (spec 1.3.5, 7.3.5.5): request and reply bodies are lists of ofp_table_features
// with typed properties. Patchbay does not configure tables through it, so the bodies stay opaque and
// round-trip byte for byte. Both directions may be split over the MORE flag at entry boundaries.
using System.Buffers.Binary;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

/// <summary>An empty body asks for the current features; a non-empty one sets them.</summary>
public sealed record TableFeaturesRequest(ReadOnlyMemory<byte> Body) : MultipartRequest
{
    public TableFeaturesRequest()
        : this(ReadOnlyMemory<byte>.Empty)
    {
    }

    public override MultipartType MultipartType => MultipartType.TableFeatures;

    public override int PayloadLength => Body.Length;

    protected override void WritePayload(ref WireWriter writer) => writer.Bytes(Body.Span);

    private protected override MultipartRequest CombineParts(IReadOnlyList<MultipartRequest> parts) =>
        this with { Body = OpaqueBody.Concat(parts, static p => ((TableFeaturesRequest)p).Body) };

    private protected override IReadOnlyList<MultipartRequest> SplitPayload(int maxPayload) =>
        [.. OpaqueBody.SplitTableFeatures(Body, maxPayload).Select(piece => this with { Body = piece })];

    internal static TableFeaturesRequest ReadPayload(ref WireReader payload) => new(payload.RestArray());

    // ReadOnlyMemory compares by reference; a decoded body must equal the bytes that were sent.
    public bool Equals(TableFeaturesRequest? other) => other is not null && base.Equals(other) && Body.Span.SequenceEqual(other.Body.Span);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Body.Length);
}

public sealed record TableFeaturesReply(ReadOnlyMemory<byte> Body) : MultipartReply
{
    public override MultipartType MultipartType => MultipartType.TableFeatures;

    public override int PayloadLength => Body.Length;

    protected override void WritePayload(ref WireWriter writer) => writer.Bytes(Body.Span);

    private protected override MultipartReply CombineParts(IReadOnlyList<MultipartReply> parts) =>
        this with { Body = OpaqueBody.Concat(parts, static p => ((TableFeaturesReply)p).Body) };

    private protected override IReadOnlyList<MultipartReply> SplitPayload(int maxPayload) =>
        [.. OpaqueBody.SplitTableFeatures(Body, maxPayload).Select(piece => this with { Body = piece })];

    internal static TableFeaturesReply ReadPayload(ref WireReader payload) => new(payload.RestArray());

    // ReadOnlyMemory compares by reference; a decoded body must equal the bytes that were sent.
    public bool Equals(TableFeaturesReply? other) => other is not null && base.Equals(other) && Body.Span.SequenceEqual(other.Body.Span);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Body.Length);
}

internal static class OpaqueBody
{
    /// <summary>sizeof(struct ofp_table_features) without properties.</summary>
    private const int TableFeaturesSize = 64;

    /// <summary>Cuts a list of ofp_table_features (each led by its u16 length) into runs of at most <paramref name="maxPayload"/> bytes.</summary>
    public static List<ReadOnlyMemory<byte>> SplitTableFeatures(ReadOnlyMemory<byte> body, int maxPayload)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        int offset = 0;
        while (offset < body.Length)
        {
            int length = body.Length - offset < 2 ? 0 : BinaryPrimitives.ReadUInt16BigEndian(body.Span[offset..]);
            if (length < TableFeaturesSize || length > body.Length - offset || length > maxPayload)
            {
                throw new InvalidOperationException($"ofp_table_features at offset {offset} of length {length} cannot be cut into parts of {maxPayload} bytes");
            }

            if (offset + length - start > maxPayload)
            {
                pieces.Add(body[start..offset]);
                start = offset;
            }

            offset += length;
        }

        pieces.Add(body[start..]);
        return pieces;
    }

    public static byte[] Concat<T>(IReadOnlyList<T> parts, Func<T, ReadOnlyMemory<byte>> body)
    {
        int length = 0;
        foreach (T part in parts)
        {
            length += body(part).Length;
        }

        var joined = new byte[length];
        int offset = 0;
        foreach (T part in parts)
        {
            ReadOnlyMemory<byte> bytes = body(part);
            bytes.Span.CopyTo(joined.AsSpan(offset));
            offset += bytes.Length;
        }

        return joined;
    }
}
