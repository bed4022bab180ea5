// Every shared golden vector: decodes over one segment, one byte per segment and never on a strict
// prefix; re-encodes byte for byte; and matches os-ken's decoding field by field (see OsKenJson for
// what is compared only as bytes).
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Patchbay.Testing.Bytes;
using Patchbay.Testing.Sequences;

namespace Patchbay.OpenFlow.Tests.Golden;

public class GoldenVectorTests
{
    /// <summary>os-ken's truncated-message vector is an empty placeholder; its input is the first 64 bytes of this file.</summary>
    private const string TruncatedSuffix = ".truncated64";

    public static TheoryData<string> Vectors => GoldenVectors.PacketNameData();

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_GoldenVector_RoundTripsAndMatchesOsKen(string name)
    {
        if (name.EndsWith(TruncatedSuffix, StringComparison.Ordinal))
        {
            AssertTruncatedVectorRejected(name);
            return;
        }

        byte[] bytes = GoldenVectors.Read(name);
        IReadOnlyList<byte[]> frames = GoldenVectors.Frames(bytes);
        Assert.NotEmpty(frames);
        Assert.Equal(frames.Count, OfpFrameDecoding.ReadSingleSegment(bytes).Count);
        Assert.Equal(frames.Count, OfpFrameDecoding.ReadBytePerSegment(bytes).Count);

        JsonNode? expected = GoldenVectors.Json(name);
        Assert.True(expected is not null, $"{name} has no os-ken decoding in {GoldenVectors.JsonDirectory}");
        Assert.True(frames.Count == 1, $"{name} holds {frames.Count} messages but os-ken's decoding is of one");

        OfpMessage message = OfpFrameDecoding.ReadOneEveryWay(frames[0]);
        ByteAssert.Identical(frames[0], message.ToBytes(), $"{name}: re-encoded {message.Type}");

        string? difference = JsonDiff.FirstDifference(expected, OsKenJson.Project(message));
        Assert.True(difference is null, $"{name}: {message.Type} differs from os-ken's decoding at {difference}");
    }

    [Fact]
    public void TryRead_AllVectorsBackToBack_ReadsEachInOrderEveryWay()
    {
        byte[][] frames = [.. GoldenVectors.PacketNames().SelectMany(name => GoldenVectors.Frames(GoldenVectors.Read(name)))];
        byte[] stream = [.. frames.SelectMany(frame => frame)];

        IReadOnlyList<OfpMessage> single = OfpFrameDecoding.ReadSingleSegment(stream);
        IReadOnlyList<OfpMessage> perByte = OfpFrameDecoding.ReadBytePerSegment(stream);

        Assert.Equal(frames.Length, single.Count);
        Assert.Equal(frames.Length, perByte.Count);
        for (int i = 0; i < frames.Length; i++)
        {
            ByteAssert.Identical(frames[i], single[i].ToBytes(), $"message {i} of the stream, one segment");
            ByteAssert.Identical(frames[i], perByte[i].ToBytes(), $"message {i} of the stream, byte per segment");
        }
    }

    [Fact]
    public void Vectors_SharedDirectory_HoldsEveryKnownFamily()
    {
        IReadOnlyList<string> names = GoldenVectors.PacketNames();

        Assert.Contains("4-2-ofp_flow_mod.packet", names);
        Assert.Contains(names, n => n.StartsWith("ovs-ofctl-of13-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("libofproto-OFP13-", StringComparison.Ordinal));
    }

    /// <summary>
    /// os-ken feeds the first 64 bytes of a 256-byte flow-mod and expects OFPTruncatedMessage. Over a stream
    /// that is simply an incomplete frame; as a frame claiming 64 bytes, its 70-byte match overruns it.
    /// </summary>
    private static void AssertTruncatedVectorRejected(string name)
    {
        Assert.Empty(GoldenVectors.Read(name));
        JsonNode? expected = GoldenVectors.Json(name.Replace(TruncatedSuffix, ".packet" + TruncatedSuffix, StringComparison.Ordinal));
        Assert.NotNull(expected?["OFPTruncatedMessage"]);

        byte[] prefix = GoldenVectors.Read(name.Replace(TruncatedSuffix, ".packet", StringComparison.Ordinal))[..64];
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(prefix));
        Assert.False(OfpMessageReader.TryRead(ref reader, out _));
        Assert.Equal(0, reader.Consumed);

        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(2), 64);
        OpenFlowProtocolException error = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(prefix));
        Assert.Equal(ProtocolErrorReason.BadMatchLength, error.Reason);
    }
}
