// Property tests over the message decoders: corrupted vectors decode or throw the protocol exception
// (never another exception, never a misframed message), PacketInView agrees with the PacketIn decoder
// on every corruption, and arbitrary field values round-trip.
using FsCheck.Xunit;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Golden;

namespace Patchbay.OpenFlow.Tests.Messages;

public class MessagePropertyTests
{
    private static readonly string[] Vectors =
    [
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
    ];

    private static readonly byte[][] Frames = [.. Vectors.Select(GoldenVectors.Read)];

    [Property(MaxTest = 2000)]
    public void Decode_VectorWithOneByteChanged_DecodesWholeFrameOrThrowsProtocolException(byte vector, ushort index, byte value)
    {
        byte[] frame = Corrupt(Frames[vector % Frames.Length], index, value);

        OfpMessage message;
        try
        {
            message = OfpMessageReader.Decode(frame);
        }
        catch (OpenFlowProtocolException)
        {
            return;
        }

        // Every nested length was honoured: re-encoding the decoded structure fills exactly the frame.
        Assert.Equal(frame.Length, message.ToBytes().Length);
    }

    [Property(MaxTest = 2000)]
    public void PacketInView_PacketInWithOneByteChanged_AgreesWithDecode(bool second, ushort index, byte value)
    {
        byte[] frame = Corrupt(GoldenVectors.Read(second ? "4-59-ofp_packet_in.packet" : "4-4-ofp_packet_in.packet"), index, value);
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

        Assert.Equal(decoded is not null, parsed);
        if (decoded is not null)
        {
            Assert.Equal(decoded, view.ToMessage());
            Assert.Equal(decoded.Data.ToArray(), view.Data.ToArray());
            Assert.Equal(decoded.Match.Find(OxmBasicField.InPort) is not null, view.TryGetInPort(out _));
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
        copy[index % copy.Length] = value;
        return copy;
    }
}
