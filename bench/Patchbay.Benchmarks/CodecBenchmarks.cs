// Issue 2's codec figures: decode a PACKET_IN carrying a 128-byte packet, and encode a FLOW_MOD with
// 6 OXM fields and 4 actions. The target for both hot paths is zero bytes allocated per operation.
// Issue 7's first-packet path adds what the controller sends per conversation: a conversation FLOW_MOD
// built from arrays as FlowPlanner builds it, and the PACKET_OUT that sends the first packet on.
using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Benchmarks;

[MemoryDiagnoser]
public class CodecBenchmarks
{
    private static readonly byte[] HostMac = [0x02, 0x50, 0x42, 0x00, 0x00, 0x01];
    private static readonly byte[] ContainerMac = [0x02, 0x50, 0x42, 0x00, 0x01, 0x02];

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private byte[] _packetIn = [];
    private FlowMod _flowMod = new();
    private FlowMod _conversationFlowMod = new();
    private PacketOut _packetOut = new(OfpConstants.NoBuffer, 0, [], ReadOnlyMemory<byte>.Empty);

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[128];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)i;
        }

        var match = new OfpMatch([Oxm.InPort(3), Oxm.EthType(0x0800)]);
        _packetIn = new PacketIn(OfpConstants.NoBuffer, (ushort)payload.Length, PacketInReason.NoMatch, 20, 0, match, payload) { Xid = 7 }.ToBytes();

        _flowMod = new FlowMod
        {
            Xid = 9,
            Cookie = 0x0100_0000_0000_002a,
            TableId = 20,
            Command = FlowModCommand.Add,
            IdleTimeout = 10,
            Priority = 100,
            Flags = FlowModFlags.SendFlowRem,
            Match = new OfpMatch(
            [
                Oxm.InPort(3),
                Oxm.EthType(0x0800),
                Oxm.Ipv4Src(IPAddress.Parse("10.1.0.2")),
                Oxm.Ipv4Dst(IPAddress.Parse("10.1.0.3")),
                Oxm.IpProto(6),
                Oxm.TcpDst(80),
            ]),
            Instructions =
            [
                new ApplyActionsInstruction(
                [
                    new SetFieldAction(Oxm.EthSrc(HostMac)),
                    new SetFieldAction(Oxm.EthDst(ContainerMac)),
                    new SetFieldAction(Oxm.Ipv4Dst(IPAddress.Parse("10.1.0.3"))),
                    new OutputAction(1, 0),
                ]),
            ],
        };

        // FlowPlanner's cross-host egress flow for a TCP conversation: network metadata, the IP pair and
        // the port in the match; the host MACs set and the uplink out in one apply-actions.
        _conversationFlowMod = new FlowMod
        {
            Xid = 11,
            Cookie = 0x0300_0000_0000_002a,
            TableId = 30,
            Command = FlowModCommand.Add,
            IdleTimeout = 10,
            Priority = 100,
            Flags = FlowModFlags.SendFlowRem,
            Match = new OfpMatch(new OxmField[]
            {
                Oxm.Metadata(7, 0xffff_ffff),
                Oxm.EthType(0x0800),
                Oxm.Ipv4Src(0x0a01_0002),
                Oxm.Ipv4Dst(0x0a01_0003),
                Oxm.IpProto(6),
                Oxm.TcpDst(80),
            }),
            Instructions = new OfpInstruction[]
            {
                new ApplyActionsInstruction(new OfpAction[]
                {
                    new SetFieldAction(Oxm.EthSrc(HostMac)),
                    new SetFieldAction(Oxm.EthDst(ContainerMac)),
                    new OutputAction(1),
                }),
            },
        };

        _packetOut = new PacketOut(OfpConstants.NoBuffer, 3, [new OutputAction(OfpPortNo.Table)], payload) { Xid = 13 };
    }

    /// <summary>The per-packet path: a view over the frame, in_port and payload read in place.</summary>
    [Benchmark]
    public int DecodePacketIn()
    {
        var view = PacketInView.Parse(_packetIn);
        view.TryGetInPort(out uint inPort);
        return (int)inPort + view.Data.Length;
    }

    /// <summary>The general decoder, building the PacketIn record (allocates: for comparison).</summary>
    [Benchmark]
    public OfpMessage DecodePacketInMessage() => OfpMessageReader.Decode(_packetIn);

    [Benchmark]
    public int EncodeFlowMod()
    {
        _output.ResetWrittenCount();
        _flowMod.WriteTo(_output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodeConversationFlowMod()
    {
        _output.ResetWrittenCount();
        _conversationFlowMod.WriteTo(_output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EncodePacketOut()
    {
        _output.ResetWrittenCount();
        _packetOut.WriteTo(_output);
        return _output.WrittenCount;
    }
}
