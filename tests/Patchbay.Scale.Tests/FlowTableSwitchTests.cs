// The scale benchmark's emulated switch against Patchbay's own OpenFlow listener: what the planner's flows and
// meters do to its tables (ADD replaces the same (table, priority, match), DELETE by cookie, DELETE_STRICT), how
// it tells conversation and drop flows apart, and that a PACKET_OUT carrying a first packet reports its token.
// Each check follows a barrier, so the switch has handled everything sent before it.
using System.Collections.Concurrent;
using System.Net;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Scale.Tests;

public sealed class FlowTableSwitchTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly CapturingController _controller = new();
    private readonly ConcurrentQueue<uint> _answered = new();
    private readonly FlowPlanner _planner = new(new PlannerOptions());
    private readonly Host _host = Host(1);
    private readonly Host _otherHost = Host(2);
    private readonly Network _network = new(7, "net7", "t", Ipv4Subnet.Parse("10.7.0.0/24"), Ipv4Address.Parse("10.7.0.1"));
    private FlowTableSwitch? _switch;
    private SwitchSession? _session;

    private FlowTableSwitch Switch => _switch!;

    private SwitchSession Session => _session!;

    public async Task InitializeAsync()
    {
        IPEndPoint listening = _controller.Start();
        _switch = await FlowTableSwitch.ConnectAsync(listening, 0, _host.DatapathId, _answered.Enqueue, CancellationToken.None);
        _session = await _controller.Connected.WaitAsync(Bound);
    }

    public async Task DisposeAsync()
    {
        if (_switch is not null)
        {
            await _switch.DisposeAsync();
        }

        await _controller.DisposeAsync();
    }

    [Fact]
    public async Task EndpointFlows_AddedRepeatedAndDeletedByCookie_CountFollowsTheTable()
    {
        Endpoint first = Endpoint(1, _host, 11);
        Endpoint second = Endpoint(2, _host, 12);
        await SendAsync([.. _planner.HostPipeline(_host), .. _planner.EndpointFlows(_host, first, _network), .. _planner.EndpointFlows(_host, second, _network)]);
        Assert.Equal(18, Switch.Read().Flows);

        // The same flows again replace the entries with the same table, priority and match: no new entries.
        await SendAsync([.. _planner.EndpointFlows(_host, first, _network)]);
        Assert.Equal(18, Switch.Read().Flows);

        await SendAsync([_planner.DeleteEndpointFlows(first)]);
        SwitchCounts counts = Switch.Read();
        Assert.Equal(12, counts.Flows);
        Assert.Equal(0, counts.ConversationFlows);
        Assert.Equal(0, counts.UnsupportedDeletes);
    }

    [Fact]
    public async Task DeleteStrict_SamePriorityAndMatch_RemovesOnlyThatEntry()
    {
        FlowMod flow = _planner.EndpointFlows(_host, Endpoint(1, _host, 11), _network)[0];
        await SendAsync([flow, flow with { Priority = (ushort)(flow.Priority + 1) }]);
        Assert.Equal(2, Switch.Read().Flows);

        await SendAsync([flow with { Command = FlowModCommand.DeleteStrict, CookieMask = ulong.MaxValue }]);
        Assert.Equal(1, Switch.Read().Flows);

        // A cookie that does not select the entry leaves it.
        await SendAsync([flow with { Command = FlowModCommand.DeleteStrict, Priority = (ushort)(flow.Priority + 1), Cookie = flow.Cookie + 1, CookieMask = ulong.MaxValue }]);
        Assert.Equal(1, Switch.Read().Flows);
    }

    [Fact]
    public async Task ConversationAndDenial_AreCountedByKind_AndDeletedByTheirCookie()
    {
        Endpoint source = Endpoint(1, _host, 11);
        Endpoint destination = Endpoint(2, _otherHost, 12);
        ConversationPlan plan = _planner.PlanConversation(5, source, _host, destination, _otherHost, _network);
        FlowMod denial = _planner.PlanDenial(6, source, _network, Ipv4Address.Parse("10.7.0.99"));
        await SendAsync([.. plan.SourceSwitch, denial]);
        SwitchCounts counts = Switch.Read();
        Assert.Equal(plan.SourceSwitch.Count + 1, counts.Flows);
        Assert.Equal(plan.SourceSwitch.Count + 1, counts.ConversationFlows);
        Assert.Equal(1, counts.DropFlows);
        Assert.True(Switch.HoldsDropFlow(Tables.Egress));

        await SendAsync([_planner.DeleteConversation(denial.Cookie)]);
        Assert.False(Switch.HoldsDropFlow(Tables.Egress));
        await SendAsync([_planner.DeleteConversation(plan.Cookie)]);
        Assert.Equal(0, Switch.Read().Flows);
    }

    [Fact]
    public async Task Meters_AddTwiceThenDelete_HoldOneThenNone()
    {
        Endpoint endpoint = Endpoint(1, _host, 11);
        await SendAsync([_planner.EndpointMeter(endpoint, MeterModCommand.Add), _planner.EndpointMeter(endpoint, MeterModCommand.Add), _planner.EndpointMeter(Endpoint(2, _host, 12), MeterModCommand.Add)]);
        Assert.Equal(2, Switch.Read().Meters);

        await SendAsync([_planner.EndpointMeter(endpoint, MeterModCommand.Delete)]);
        Assert.Equal(1, Switch.Read().Meters);
    }

    [Fact]
    public async Task PacketOut_CarryingAFirstPacket_ReportsItsToken()
    {
        byte[] frame = FirstPackets.Build([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2], IPAddress.Parse("10.7.0.11"), IPAddress.Parse("10.7.0.12"), 4242);
        await Session.SendAsync(new PacketOut(OfpConstants.NoBuffer, 11, [new OutputAction(OfpPortNo.Table)], frame), CancellationToken.None);
        await Session.SendAsync(new PacketOut(OfpConstants.NoBuffer, 11, [new OutputAction(OfpPortNo.Table)], new byte[FirstPackets.FrameLength]), CancellationToken.None);
        await Session.BarrierAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal([4242u], _answered.ToArray());
        Assert.Equal(2, Switch.Read().PacketOuts);
    }

    [Fact]
    public async Task FirstPacket_SentToTheController_ArrivesAsAnUnbufferedPacketInOfItsTable()
    {
        byte[] frame = FirstPackets.Build([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2], IPAddress.Parse("10.7.0.11"), IPAddress.Parse("10.7.0.12"), 7);
        await Switch.SendPacketInAsync(Tables.Egress, 11, frame);
        PacketIn packetIn = await _controller.PacketIns.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(Tables.Egress, packetIn.TableId);
        Assert.Equal(11u, packetIn.InPort);
        Assert.Equal(OfpConstants.NoBuffer, packetIn.BufferId);
        Assert.True(FirstPackets.TryReadToken(packetIn.Data.Span, out uint token));
        Assert.Equal(7u, token);
    }

    private async Task SendAsync(IReadOnlyList<OfpMessage> messages)
    {
        foreach (OfpMessage message in messages)
        {
            await Session.SendAsync(message, CancellationToken.None);
        }

        await Session.BarrierAsync(CancellationToken.None).WaitAsync(Bound);
    }

    private static Host Host(int n) => new(
        $"h{n}",
        0x5ca1_0000_0000UL | (uint)n,
        new MacAddress(0x02_50_53_00_00_00UL | (uint)n),
        0xfff0,
        new Ipv4Address(0xc6_12_00_00U | (uint)n),
        "scale",
        HostState.Connected,
        DateTimeOffset.UnixEpoch);

    private Endpoint Endpoint(uint id, Host host, uint port) => new(
        id,
        $"e{id}",
        _network.Tenant,
        _network.Name,
        new Ipv4Address(_network.Subnet.Network.Value + 10 + id),
        new MacAddress(0x0e_50_42_00_00_00UL | id),
        host.Name,
        port,
        new Dictionary<string, string>(),
        DateTimeOffset.UnixEpoch);
}
