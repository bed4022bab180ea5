// Bounds-checked big-endian reads over one message's bytes. Every read past the end throws the
// protocol exception with the reason the caller names, so nested structures report their own rule.
using System.Buffers.Binary;

namespace Patchbay.OpenFlow.Wire;

public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ProtocolErrorReason _overrun;

    public WireReader(ReadOnlySpan<byte> buffer, ProtocolErrorReason overrun = ProtocolErrorReason.Truncated)
    {
        _buffer = buffer;
        _overrun = overrun;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _buffer.Length - Position;

    public readonly bool End => Position == _buffer.Length;

    public readonly ReadOnlySpan<byte> Rest => _buffer[Position..];

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>Skips padding bytes (their content is not checked: be liberal in what you accept).</summary>
    public void Pad(int count) => Take(count);

    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    public byte[] BytesArray(int count) => Take(count).ToArray();

    public byte[] RestArray() => Take(Remaining).ToArray();

    /// <summary>Throws <paramref name="reason"/> unless every byte was consumed (fixed-size structures).</summary>
    public readonly void ExpectEnd(ProtocolErrorReason reason, string what)
    {
        if (!End)
        {
            OpenFlowProtocolException.Throw(reason, $"{what}: {Remaining} unexpected trailing bytes");
        }
    }

    /// <summary>Takes the next <paramref name="count"/> bytes as a reader of their own, whose overruns report <paramref name="overrun"/>.</summary>
    public WireReader Sub(int count, ProtocolErrorReason overrun) => new(Take(count), overrun);

    /// <summary>Reads a NUL-padded fixed-size ASCII string (ofp_port.name, ofp_desc fields).</summary>
    public string FixedString(int size)
    {
        ReadOnlySpan<byte> raw = Take(size);
        int nul = raw.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(nul < 0 ? raw : raw[..nul]);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            OpenFlowProtocolException.Throw(_overrun, $"need {count} bytes at offset {Position}, {Remaining} left");
        }

        ReadOnlySpan<byte> slice = _buffer.Slice(Position, count);
        Position += count;
        return slice;
    }
}
