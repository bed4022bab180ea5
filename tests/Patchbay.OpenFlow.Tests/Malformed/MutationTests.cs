// Mutation fuzzing of the decoder: 100,000 seeded corruptions of the golden vectors (byte flips,
// truncations, extensions), half of them with ofp_header.length rewritten to match so the body parsers
// are reached. Decoding may succeed (and the message must then re-encode) or throw
// OpenFlowProtocolException; anything else is a codec bug.
// Every case is reproducible from (BaseSeed + case number) alone.
using System.Buffers;
using System.Buffers.Binary;
using Patchbay.OpenFlow.Tests.Golden;
using Patchbay.Testing.Sequences;
using Xunit.Sdk;

namespace Patchbay.OpenFlow.Tests.Malformed;

public class MutationTests
{
    private const int BaseSeed = 20261123;
    private const int Cases = 100_000;

    /// <summary>Byte-per-segment sequences cost a segment object per byte; only small frames take that path.</summary>
    private const int BytePerSegmentLimit = 512;

    private static readonly (string Name, byte[] Frame)[] Vectors =
        [.. GoldenVectors.PacketNames().SelectMany(name => GoldenVectors.Frames(GoldenVectors.Read(name)).Select(frame => (name, frame)))];

    [Fact]
    public void TryRead_CorruptedVectors_ThrowsOnlyProtocolException()
    {
        Assert.NotEmpty(Vectors);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            var random = new Random(BaseSeed + i);
            (string name, byte[] frame) = Vectors[random.Next(Vectors.Length)];
            byte[] input = Mutate(frame, random);
            bool perByte = i % 8 == 0 && input.Length <= BytePerSegmentLimit;
            try
            {
                decoded += ReadAll(perByte ? BytePerSegmentSequence.Create(input) : new ReadOnlySequence<byte>(input));
            }
            catch (OpenFlowProtocolException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"case {i} (seed {BaseSeed + i}) from {name}{(perByte ? ", byte per segment" : string.Empty)}: " +
                    $"{e.GetType().Name}: {e.Message}\ninput {Convert.ToHexString(input)}\n{e.StackTrace}");
            }
        }

        // Both outcomes must be common, or the mutations are not exercising the parsers.
        Assert.True(decoded > Cases / 20, $"only {decoded} of {Cases} corrupted inputs decoded");
        Assert.True(rejected > Cases / 20, $"only {rejected} of {Cases} corrupted inputs were rejected");
    }

    [Fact]
    public void Mutate_SameSeed_GivesSameInput()
    {
        byte[] frame = Vectors[0].Frame;

        Assert.Equal(Mutate(frame, new Random(BaseSeed)), Mutate(frame, new Random(BaseSeed)));
    }

    /// <summary>Reads every whole message in the sequence; each read must consume bytes and its message must re-encode.</summary>
    private static int ReadAll(ReadOnlySequence<byte> sequence)
    {
        var reader = new SequenceReader<byte>(sequence);
        int count = 0;
        long before = reader.Consumed;
        while (OfpMessageReader.TryRead(ref reader, out OfpMessage? message))
        {
            Assert.NotNull(message);

            // Whatever the decoder accepts, the encoder must be able to write back at its declared length.
            Assert.Equal(message.Length, message.ToBytes().Length);
            Assert.True(reader.Consumed > before, "TryRead returned true without consuming");
            before = reader.Consumed;
            count++;
        }

        return count;
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        byte[] bytes = random.Next(3) switch
        {
            0 => Flip(frame, random),
            1 => frame[..random.Next(frame.Length)],
            _ => Extend(frame, random),
        };

        bool keepLengthConsistent = random.Next(2) == 0;
        if (keepLengthConsistent && bytes.Length >= OfpConstants.HeaderSize && bytes.Length <= OfpConstants.MaxMessageLength)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        }

        return bytes;
    }

    private static byte[] Flip(byte[] frame, Random random)
    {
        byte[] bytes = (byte[])frame.Clone();
        int flips = random.Next(1, 5);
        for (int f = 0; f < flips; f++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        }

        return bytes;
    }

    private static byte[] Extend(byte[] frame, Random random)
    {
        byte[] extra = new byte[random.Next(1, 17)];
        random.NextBytes(extra);
        return [.. frame, .. extra];
    }
}
