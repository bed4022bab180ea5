// Builds a ReadOnlySequence<byte> with one byte per segment, the worst case a PipeReader can hand a
// decoder: every multi-byte read straddles a segment boundary.
using System.Buffers;

namespace Patchbay.Testing.Sequences;

public static class BytePerSegmentSequence
{
    /// <summary>Guard byte stored around every segment's byte, so a read past a segment's slice sees garbage.</summary>
    public const byte Guard = 0xCC;

    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment first = Segment.Holding(bytes[0], runningIndex: 0);
        Segment last = first;
        for (int i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public static Segment Holding(byte value, long runningIndex)
        {
            // The byte sits in the middle of a three-byte array whose ends are guards.
            byte[] backing = [Guard, value, Guard];
            return new Segment { Memory = backing.AsMemory(1, 1), RunningIndex = runningIndex };
        }

        public Segment Append(byte value)
        {
            Segment next = Holding(value, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
