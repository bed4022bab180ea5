// Properties of the message decoders: a vector with any one byte changed decodes or throws the protocol
// exception (never another exception, never a misframed message), PacketInView agrees with the PacketIn
// decoder on every such corruption, and arbitrary field values round-trip.
using FsCheck.Xunit;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Golden;

namespace Patchbay.OpenFlow.Tests.Messages;

public class MessagePropertyTests
{
    public static TheoryData<string> Vectors() => new()
    {
        "4-1-ofp_packet_out.packet",
        "4-3-ofp_flow_mod.packet",
        "4-4-ofp_packet_in.packet",
        "4-16-ofp_experimenter.packet",
        "4-21-ofp_group_mod.packet",
        "4-36-ofp_queue_get_config_reply.packet",
        "4-39-ofp_port_status.packet",
        "4-40-ofp_flow_removed.packet",
        "4-45-ofp_meter_mod.packet",
        "4-46-ofp_flow_mod.packet",
        "4-59-ofp_packet_in.packet",
        "libofproto-OFP13-flow_mod.packet",
        "libofproto-OFP13-port_status.packet",
    };

    // Exhaustive rather than sampled: every byte of the vector set to every value is a few hundred
    // thousand decodes, done in about a second, and it found a port name that could not be re-encoded.
    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_VectorWithAnyOneByteChanged_DecodesWholeFrameOrThrowsProtocolException(string vector)
    {
        byte[] original = GoldenVectors.Read(vector);
        for (int index = 0; index < original.Length; index++)
        {
            for (int value = 0; value <= byte.MaxValue; value++)
            {
                byte[] frame = Corrupt(original, index, (byte)value);
                OfpMessage message;
                try
                {
                    message = OfpMessageReader.Decode(frame);
                }
                catch (OpenFlowProtocolException)
                {
                    continue;
                }

                // Every nested length was honoured: re-encoding the decoded structure fills exactly the frame.
                Assert.True(frame.Length == message.ToBytes().Length, $"{vector} with byte {index} = 0x{value:x2} re-encodes to another length");
            }
        }
    }

    [Theory]
    [InlineData("4-4-ofp_packet_in.packet")]
    [InlineData("4-59-ofp_packet_in.packet")]
    [InlineData("libofproto-OFP13-packet_in.packet")]
    public void PacketInView_PacketInWithAnyOneByteChanged_AgreesWithDecode(string vector)
    {
        byte[] original = GoldenVectors.Read(vector);
        for (int index = 0; index < original.Length; index++)
        {
            for (int value = 0; value <= byte.MaxValue; value++)
            {
                byte[] frame = Corrupt(original, index, (byte)value);
                PacketIn? decoded;
                try
                {
                    decoded = OfpMessageReader.Decode(frame) as PacketIn;
                }
                catch (OpenFlowProtocolException)
                {
                    decoded = null;
                }

                bool parsed = PacketInView.TryParse(frame, out PacketInView view);

                Assert.True(parsed == decoded is not null, $"{vector} with byte {index} = 0x{value:x2}: decoder {(decoded is null ? "rejects" : "accepts")}, view {(parsed ? "accepts" : "rejects")}");
                if (decoded is not null)
                {
                    Assert.Equal(decoded, view.ToMessage());
                    Assert.Equal(decoded.Data.ToArray(), view.Data.ToArray());
                    Assert.Equal(decoded.InPort is not null, view.TryGetInPort(out uint port));
                    Assert.Equal(decoded.InPort ?? 0, port);
                }
            }
        }
    }

    [Property]
    public void RoundTrip_FlowModAnyFixedFields_EqualsOriginal(
        ulong cookie,
        ulong cookieMask,
        byte tableId,
        ushort idle,
        ushort hard,
        ushort priority,
        uint bufferId,
        uint outPort,
        ushort flags)
    {
        var message = new FlowMod
        {
            Cookie = cookie,
            CookieMask = cookieMask,
            TableId = tableId,
            Command = (FlowModCommand)(tableId % 5),
            IdleTimeout = idle,
            HardTimeout = hard,
            Priority = priority,
            BufferId = bufferId,
            OutPort = outPort,
            OutGroup = ~outPort,
            Flags = (FlowModFlags)flags,
            Match = new OfpMatch([Oxm.InPort(outPort), Oxm.Metadata(cookie)]),
        };

        Assert.Equal(message, OfpMessageReader.Decode(message.ToBytes()));
    }

    private static byte[] Corrupt(byte[] frame, int index, byte value)
    {
        byte[] copy = (byte[])frame.Clone();
        copy[index] = value;
        return copy;
    }
}
