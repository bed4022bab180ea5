// Framing of back-to-back JSON values: complete objects come out whole, in order, whatever the segmentation;
// incomplete ones consume nothing.
using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Ovsdb.JsonRpc;
using Patchbay.Testing.Sequences;

namespace Patchbay.Ovsdb.Tests.JsonRpc;

public sealed class JsonFramerTests
{
    private const string First = """{"id":1,"result":["Open_vSwitch","_Server"],"error":null}""";
    private const string Second = """{"method":"echo","params":["}{\"[",{"a":[]}],"id":"x"}""";

    [Fact]
    public void TryReadObject_TwoConcatenatedObjects_ReturnsEachInTurn()
    {
        ReadOnlySequence<byte> buffer = Sequence(First + "\n  " + Second + " ");

        Assert.Equal([First, Second], ReadAll(ref buffer));
        Assert.True(JsonFramer.IsWhitespace(buffer));
    }

    [Fact]
    public void TryReadObject_EveryProperPrefix_ReturnsFalseAndConsumesNothing()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Second);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(JsonFramer.TryReadObject(ref buffer, out _), $"prefix of {length} bytes");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryReadObject_BytePerSegment_ReturnsBothObjects()
    {
        ReadOnlySequence<byte> buffer = BytePerSegmentSequence.Create(Encoding.UTF8.GetBytes(First + Second));

        Assert.Equal([First, Second], ReadAll(ref buffer));
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void TryReadObject_WhitespaceOnly_ReturnsFalse()
    {
        ReadOnlySequence<byte> buffer = Sequence(" \n\t ");

        Assert.False(JsonFramer.TryReadObject(ref buffer, out _));
        Assert.True(JsonFramer.IsWhitespace(buffer));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("}")]
    public void TryReadObject_NotAnObject_ThrowsProtocolError(string text)
    {
        ReadOnlySequence<byte> buffer = Sequence(text);

        var ex = Assert.Throws<OvsdbException>(() => JsonFramer.TryReadObject(ref buffer, out _));
        Assert.Equal(OvsdbErrorKind.Protocol, ex.Kind);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public void TryReadObject_AnySplitOfConcatenatedObjects_YieldsTheSameObjects(NonEmptyString[] keys, PositiveInt splitSeed)
    {
        string[] objects = [.. keys.Select((k, i) => new System.Text.Json.Nodes.JsonObject { [k.Get] = i }.ToJsonString())];
        byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(objects));
        int split = bytes.Length == 0 ? 0 : splitSeed.Get % bytes.Length;

        ReadOnlySequence<byte> buffer = TwoSegments(bytes, split);

        Assert.Equal(objects, ReadAll(ref buffer));
    }

    private static List<string> ReadAll(ref ReadOnlySequence<byte> buffer)
    {
        var values = new List<string>();
        while (JsonFramer.TryReadObject(ref buffer, out ReadOnlySequence<byte> frame))
        {
            values.Add(Encoding.UTF8.GetString(frame));
        }

        return values;
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.UTF8.GetBytes(text));

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split), 0);
        Segment last = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
