// FLOW_MODs our encoder produces are installed by real OVS exactly as we meant them: every flow we add
// shows up in ovs-ofctl dump-flows with the same table, priority, cookie, match, instructions, timeouts.
using System.Net;
using System.Net.NetworkInformation;
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.EndToEnd.Tests.OpenFlow;

public sealed class FlowModTests : BridgeLabTest
{
    private SwitchSession? _session;
    private PluggedContainer? _c1;
    private PluggedContainer? _c2;

    private protected override async Task ArrangeAsync(CancellationToken cancellationToken)
    {
        _session = await Lab.ConnectBridgeAsync(0x5042_0000_0000_0002, cancellationToken);
        _c1 = await Lab.PlugAsync("c1", "10.0.0.1/24", 1, cancellationToken);
        _c2 = await Lab.PlugAsync("c2", "10.0.0.2/24", 2, cancellationToken);
    }

    [Fact]
    public async Task SendAsync_FlowModsOfEveryShape_DumpFlowsShowsExactlyThem()
    {
        using var timeout = TestTimeout.Start();
        var (lab, session) = (Lab, _session!);
        uint p1 = _c1!.OfPort, p2 = _c2!.OfPort;
        (FlowMod Flow, string Expected)[] flows =
        [
            (new FlowMod
            {
                Cookie = 0x5042_0000_0000_0001,
                Priority = 100,
                IdleTimeout = 30,
                HardTimeout = 60,
                Match = new OfpMatch([Oxm.InPort(p1)]),
                Instructions = [new ApplyActionsInstruction([new OutputAction(p2, 0)])],
            }, $"cookie=0x5042000000000001, idle_timeout=30, hard_timeout=60, priority=100,in_port={p1} actions=output:{p2}"),
            (new FlowMod
            {
                Cookie = 0x2,
                TableId = 10,
                Priority = 200,
                Match = new OfpMatch([Oxm.EthType(0x0800), Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.2"))]),
                Instructions =
                [
                    new ApplyActionsInstruction(
                    [
                        new SetFieldAction(Oxm.EthDst(PhysicalAddress.Parse("02-00-00-00-00-02"))),
                        new OutputAction(p2, 0),
                    ]),
                ],
            }, $"cookie=0x2, table=10, priority=200,ip,nw_dst=10.0.0.2 actions=set_field:02:00:00:00:00:02->eth_dst,output:{p2}"),
            (new FlowMod
            {
                Priority = 50,
                Match = new OfpMatch([Oxm.EthType(0x0806), Oxm.ArpTpa(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.255.255.0"))]),
                Instructions = [new GotoTableInstruction(10)],
            }, "priority=50,arp,arp_tpa=10.0.0.0/24 actions=goto_table:10"),
            (new FlowMod
            {
                TableId = 20,
                Priority = 10,
                HardTimeout = 300,
                Match = new OfpMatch([Oxm.EthType(0x0800), Oxm.IpProto(6), Oxm.TcpDst(80)]),
                Instructions = [new ApplyActionsInstruction([new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer)])],
            }, "table=20, hard_timeout=300, priority=10,tcp,tp_dst=80 actions=CONTROLLER:65535"),
            (new FlowMod
            {
                Priority = 5,
                Match = new OfpMatch([Oxm.EthDst(PhysicalAddress.Parse("01-00-00-00-00-00"), PhysicalAddress.Parse("01-00-00-00-00-00"))]),
                Instructions = [new WriteMetadataInstruction(0x10, 0xff), new GotoTableInstruction(10)],
            }, "priority=5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=write_metadata:0x10/0xff,goto_table:10"),
            (new FlowMod { Priority = 0 }, "priority=0 actions=drop"),
        ];

        foreach (var (flow, _) in flows)
        {
            await session.SendAsync(flow, timeout.Token);
        }

        // The barrier reply proves the switch processed (and did not reject) everything sent before it.
        await session.BarrierAsync(timeout.Token);
        var dumped = await lab.DumpFlowsAsync(timeout.Token);

        Assert.Equal(flows.Select(f => f.Expected).Order(StringComparer.Ordinal), dumped.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(lab.Controller.Received, r => r.Message is ErrorMsg);
    }

    [Fact]
    public async Task SendAsync_DeleteByCookie_RemovesOnlyThatCookiesFlows()
    {
        using var timeout = TestTimeout.Start();
        var (lab, session) = (Lab, _session!);
        const ulong conversation = 0x5042_0000_0000_0077;
        await session.SendAsync(new FlowMod { Cookie = conversation, Priority = 10, Match = new OfpMatch([Oxm.InPort(_c1!.OfPort)]) }, timeout.Token);
        await session.SendAsync(new FlowMod { Cookie = conversation, Priority = 10, Match = new OfpMatch([Oxm.InPort(_c2!.OfPort)]) }, timeout.Token);
        await session.SendAsync(new FlowMod { Cookie = 0x99, Priority = 1 }, timeout.Token);
        await session.BarrierAsync(timeout.Token);
        Assert.Equal(3, (await lab.DumpFlowsAsync(timeout.Token)).Count);

        await session.SendAsync(
            new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Cookie = conversation, CookieMask = ulong.MaxValue },
            timeout.Token);
        await session.BarrierAsync(timeout.Token);

        Assert.Equal(["cookie=0x99, priority=1 actions=drop"], await lab.DumpFlowsAsync(timeout.Token));
    }
}
