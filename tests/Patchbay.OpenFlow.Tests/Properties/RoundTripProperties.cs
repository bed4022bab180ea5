// Encode -> decode -> encode of random valid messages gives identical bytes and a decoding equal, field
// by field (through the os-ken projection, which covers every field), to what was encoded.
using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Tests.Golden;
using Patchbay.Testing.Bytes;
using Patchbay.Testing.Sequences;

namespace Patchbay.OpenFlow.Tests.Properties;

public class RoundTripProperties
{
    [Property(MaxTest = 200)]
    public Property Hello_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.Hello);

    [Property(MaxTest = 200)]
    public Property EchoRequest_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.EchoRequest);

    [Property(MaxTest = 200)]
    public Property EchoReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.EchoReply);

    [Property(MaxTest = 200)]
    public Property FeaturesReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.FeaturesReply);

    [Property(MaxTest = 300)]
    public Property PacketIn_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.PacketIn);

    [Property(MaxTest = 300)]
    public Property PacketOut_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.PacketOut);

    [Property(MaxTest = 500)]
    public Property FlowMod_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.FlowMod);

    [Property(MaxTest = 300)]
    public Property FlowRemoved_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.FlowRemoved);

    [Property(MaxTest = 200)]
    public Property PortStatus_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.PortStatus);

    [Property(MaxTest = 200)]
    public Property GroupMod_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.GroupMod);

    [Property(MaxTest = 200)]
    public Property MeterMod_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.MeterMod);

    [Property(MaxTest = 200)]
    public Property FlowStatsRequest_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.FlowStatsRequest);

    [Property(MaxTest = 200)]
    public Property GroupDescReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.GroupDescReply);

    [Property(MaxTest = 200)]
    public Property FlowStatsReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.FlowStatsReply);

    [Property(MaxTest = 200)]
    public Property PortStatsReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.PortStatsReply);

    [Property(MaxTest = 200)]
    public Property TableStatsReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.TableStatsReply);

    [Property(MaxTest = 100)]
    public Property DescReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.DescReply);

    [Property(MaxTest = 200)]
    public Property PortDescReply_RoundTrip_IsIdentical() => RoundTrips(OfpGenerators.PortDescReply);

    [Property(MaxTest = 100)]
    public Property BytePerSegmentSequence_NonEmptyBytes_HoldsThemOnePerSegment() => Prop.ForAll(
        Arb.From(Gen.Choose(1, 300).SelectMany(OfpGenerators.Bytes)),
        bytes =>
        {
            ReadOnlySequence<byte> sequence = BytePerSegmentSequence.Create(bytes);
            int segments = 0;
            foreach (ReadOnlyMemory<byte> segment in sequence)
            {
                Assert.Equal(1, segment.Length);
                segments++;
            }

            Assert.Equal(bytes.Length, segments);
            Assert.Equal(bytes, sequence.ToArray());
        });

    [Fact]
    public void BytePerSegmentSequence_NoBytes_IsEmpty()
    {
        Assert.True(BytePerSegmentSequence.Create([]).IsEmpty);
    }

    private static Property RoundTrips<T>(Gen<T> messages)
        where T : OfpMessage => Prop.ForAll(Arb.From(messages), message =>
        {
            byte[] encoded = message.ToBytes();
            Assert.Equal(message.Length, encoded.Length);

            OfpMessage decoded = OfpFrameDecoding.ReadOneEveryWay(encoded);

            Assert.IsType<T>(decoded);
            Assert.Equal(message.Xid, decoded.Xid);
            ByteAssert.Identical(encoded, decoded.ToBytes(), $"re-encoded {message.Type}");
            string? difference = JsonDiff.FirstDifference(OsKenJson.Project(message), OsKenJson.Project(decoded));
            Assert.True(difference is null, $"decoded {message.Type} differs from the original at {difference}");
        });
}
