// Runs OfpMessageReader.TryRead the three ways every decoder test must: over one segment, over one
// byte per segment, and over every strict prefix (which must report "incomplete" and consume nothing).
using System.Buffers;
using Patchbay.OpenFlow;
using Xunit;

namespace Patchbay.Testing.Sequences;

public static class OfpFrameDecoding
{
    /// <summary>Reads messages until the sequence is exhausted; fails if bytes remain that do not form a whole message.</summary>
    public static IReadOnlyList<OfpMessage> ReadAll(ReadOnlySequence<byte> sequence)
    {
        var reader = new SequenceReader<byte>(sequence);
        var messages = new List<OfpMessage>();
        while (OfpMessageReader.TryRead(ref reader, out OfpMessage? message))
        {
            Assert.NotNull(message);
            messages.Add(message);
        }

        Assert.True(reader.End, $"{reader.Remaining} trailing bytes after {messages.Count} message(s) do not form a whole message");
        return messages;
    }

    public static IReadOnlyList<OfpMessage> ReadSingleSegment(byte[] bytes) => ReadAll(new ReadOnlySequence<byte>(bytes));

    public static IReadOnlyList<OfpMessage> ReadBytePerSegment(byte[] bytes) => ReadAll(BytePerSegmentSequence.Create(bytes));

    /// <summary>
    /// Every strict prefix of <paramref name="frame"/> (one whole message), in one segment and in one byte per
    /// segment, must make TryRead return false without consuming anything.
    /// </summary>
    public static void AssertEveryPrefixIncomplete(byte[] frame)
    {
        var whole = new ReadOnlySequence<byte>(frame);
        ReadOnlySequence<byte> split = BytePerSegmentSequence.Create(frame);
        for (int length = 0; length < frame.Length; length++)
        {
            AssertIncomplete(whole.Slice(0, length), "single segment");
            AssertIncomplete(split.Slice(0, length), "byte per segment");
        }
    }

    /// <summary>Decodes exactly one message all three ways and returns the single-segment decoding.</summary>
    public static OfpMessage ReadOneEveryWay(byte[] frame)
    {
        OfpMessage single = Assert.Single(ReadSingleSegment(frame));
        OfpMessage perByte = Assert.Single(ReadBytePerSegment(frame));
        Assert.Equal(single.GetType(), perByte.GetType());
        Assert.Equal(single.ToBytes(), perByte.ToBytes());
        AssertEveryPrefixIncomplete(frame);
        return single;
    }

    private static void AssertIncomplete(ReadOnlySequence<byte> prefix, string layout)
    {
        var reader = new SequenceReader<byte>(prefix);
        bool read = OfpMessageReader.TryRead(ref reader, out OfpMessage? message);
        Assert.False(read, $"TryRead accepted a {prefix.Length}-byte prefix ({layout}) as a whole {message?.Type} message");
        Assert.Equal(0, reader.Consumed);
    }
}
