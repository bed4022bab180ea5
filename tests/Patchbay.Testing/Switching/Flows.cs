// Short constructors for FLOW_MODs and METER_MODs in switch-model tests, so a test reads as the flow table
// it builds: Flows.Add(20, 100, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))).
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Testing.Switching;

public static class Flows
{
    public static FlowMod Add(byte table, ushort priority, IReadOnlyList<OxmField> match, params OfpInstruction[] instructions) => new()
    {
        Command = FlowModCommand.Add,
        TableId = table,
        Priority = priority,
        Match = new OfpMatch(match),
        Instructions = instructions,
    };

    public static FlowMod Delete(byte table, IReadOnlyList<OxmField> match, ulong cookie = 0, ulong cookieMask = 0) => new()
    {
        Command = FlowModCommand.Delete,
        TableId = table,
        Match = new OfpMatch(match),
        Cookie = cookie,
        CookieMask = cookieMask,
    };

    public static FlowMod DeleteStrict(byte table, ushort priority, IReadOnlyList<OxmField> match) => new()
    {
        Command = FlowModCommand.DeleteStrict,
        TableId = table,
        Priority = priority,
        Match = new OfpMatch(match),
    };

    public static MeterMod PacketMeter(uint meterId, uint packetsPerSecond, uint burst = 0) =>
        new(MeterModCommand.Add, MeterFlags.Pktps | (burst != 0 ? MeterFlags.Burst : MeterFlags.None), meterId, [new MeterBandDrop(packetsPerSecond, burst)]);

    public static ApplyActionsInstruction Apply(params OfpAction[] actions) => new(actions);

    public static WriteActionsInstruction Write(params OfpAction[] actions) => new(actions);

    public static GotoTableInstruction Goto(byte table) => new(table);

    public static WriteMetadataInstruction Metadata(ulong value, ulong mask = ulong.MaxValue) => new(value, mask);

    public static MeterInstruction Meter(uint meterId) => new(meterId);

    public static OutputAction Output(uint port) => new(port);

    public static OutputAction ToController() => new(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer);

    public static SetFieldAction SetEthSrc(MacAddress mac) => new(Oxm.EthSrc(mac.ToBytes()));

    public static SetFieldAction SetEthDst(MacAddress mac) => new(Oxm.EthDst(mac.ToBytes()));

    public static SetFieldAction SetIpv4Src(Ipv4Address ip) => new(Oxm.Ipv4Src(ip.ToIPAddress()));

    public static SetFieldAction SetIpv4Dst(Ipv4Address ip) => new(Oxm.Ipv4Dst(ip.ToIPAddress()));

    public static OxmField EthSrc(MacAddress mac) => Oxm.EthSrc(mac.ToBytes());

    public static OxmField EthDst(MacAddress mac) => Oxm.EthDst(mac.ToBytes());

    public static OxmField Ipv4Src(Ipv4Address ip) => Oxm.Ipv4Src(ip.ToIPAddress());

    public static OxmField Ipv4Dst(Ipv4Address ip) => Oxm.Ipv4Dst(ip.ToIPAddress());

    public static OxmField IsIpv4 { get; } = Oxm.EthType(EtherType.Ipv4);

    public static OxmField IsArp { get; } = Oxm.EthType(EtherType.Arp);

    /// <summary>A PACKET_OUT that sends <paramref name="frame"/> through the pipeline from <paramref name="inPort"/>.</summary>
    public static PacketOut ThroughTable(uint inPort, byte[] frame) => new(OfpConstants.NoBuffer, inPort, [new OutputAction(OfpPortNo.Table)], frame);
}
