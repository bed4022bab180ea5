// Big-endian writes into a span sized from a declared length; Position is what was actually written,
// which the caller compares with what it declared. Nested lengths (a match's, an action's, an action
// list's) are back-filled after their bytes are written, so encoding never computes one twice.
using System.Buffers.Binary;

namespace Patchbay.OpenFlow.Wire;

public ref struct WireWriter
{
    private readonly Span<byte> _buffer;

    public WireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Position = 0;
    }

    public int Position { get; private set; }

    public void U8(byte value) => Take(1)[0] = value;

    public void U16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);

    public void Pad(int count) => Take(count).Clear();

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Span<byte> target = Take(value.Length);
        // OXM values and masks are 1-16 bytes: for those a loop costs less than the call into Memmove.
        if (value.Length <= 16)
        {
            for (int i = 0; i < target.Length; i++)
            {
                target[i] = value[i];
            }
        }
        else
        {
            value.CopyTo(target);
        }
    }

    /// <summary>Writes ASCII into a fixed-size NUL-padded field, truncating to leave the terminating NUL.</summary>
    public void FixedString(string value, int size)
    {
        Span<byte> field = Take(size);
        field.Clear();
        int count = Math.Min(value.Length, size - 1);
        System.Text.Encoding.ASCII.GetBytes(value.AsSpan(0, count), field);
    }

    /// <summary>Skips a u16 length for <see cref="PatchLength"/> to fill once the bytes it counts are written; returns its offset.</summary>
    public int ReserveLength()
    {
        int offset = Position;
        Take(2);
        return offset;
    }

    /// <summary>Back-fills the u16 reserved at <paramref name="offset"/> with the bytes written since <paramref name="start"/>.</summary>
    public void PatchLength(int offset, int start)
    {
        int length = Position - start;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"{length} bytes do not fit a 16-bit OpenFlow length");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(offset, 2), (ushort)length);
    }

    /// <summary>Zero-pads so that the bytes written since <paramref name="start"/> are a multiple of 8.</summary>
    public void PadTo8(int start)
    {
        int length = Position - start;
        Pad(Declared.Align8(length) - length);
    }

    /// <summary>Hands the next <paramref name="count"/> bytes to a nested writer (a match, an action list).</summary>
    public Span<byte> Reserve(int count) => Take(count);

    private Span<byte> Take(int count)
    {
        Span<byte> slice = _buffer.Slice(Position, count);
        Position += count;
        return slice;
    }
}
