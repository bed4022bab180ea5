// Helpers for malformed-input tests: copy a real golden vector, break one field, and collect the reason
// the decoder gives, the same way through Decode and through TryRead over one and many segments.
using System.Buffers;
using System.Buffers.Binary;
using Patchbay.OpenFlow.Tests.Golden;
using Patchbay.Testing.Sequences;

namespace Patchbay.OpenFlow.Tests.Malformed;

public static class Corruption
{
    /// <summary>The single message held by golden vector <paramref name="name"/>.</summary>
    public static byte[] Vector(string name) => Assert.Single(GoldenVectors.Frames(GoldenVectors.Read(name)));

    public static byte[] WithU8(byte[] bytes, int offset, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[offset] = value;
        return copy;
    }

    public static byte[] WithU16(byte[] bytes, int offset, ushort value)
    {
        byte[] copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>Replaces ofp_header.length with the frame's real size after the frame was cut or grown.</summary>
    public static byte[] Reframed(byte[] bytes) => WithU16(bytes, 2, checked((ushort)bytes.Length));

    /// <summary>
    /// Decodes <paramref name="frame"/> through Decode, TryRead over one segment and TryRead over one byte per
    /// segment; each must throw OpenFlowProtocolException with the same reason, which is returned.
    /// </summary>
    public static ProtocolErrorReason RejectReason(byte[] frame)
    {
        ProtocolErrorReason decoded = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(frame)).Reason;
        Assert.Equal(decoded, TryReadReason(new ReadOnlySequence<byte>(frame)));
        Assert.Equal(decoded, TryReadReason(BytePerSegmentSequence.Create(frame)));
        return decoded;
    }

    /// <summary>The reason TryRead throws for <paramref name="sequence"/>; fails if it does not throw.</summary>
    public static ProtocolErrorReason TryReadReason(ReadOnlySequence<byte> sequence, int maxLength = OfpConstants.MaxMessageLength) =>
        Assert.Throws<OpenFlowProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(sequence);
            OfpMessageReader.TryRead(ref reader, out _, maxLength);
        }).Reason;
}
