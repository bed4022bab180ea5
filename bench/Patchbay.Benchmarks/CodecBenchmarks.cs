// Issue 2's codec figures: decode a PACKET_IN carrying a 128-byte packet, and encode a FLOW_MOD with
// 6 OXM fields and 4 actions. The target for both hot paths is zero bytes allocated per operation.
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
}
