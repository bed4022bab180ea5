// The state's invariants without HTTP: address allocation under concurrency, port ownership, the bounded
// conversation history and the controller's own drop counters.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.State;

public sealed class InMemoryControllerStateTests
{
    private readonly InMemoryControllerState _state = new();

    [Fact]
    public async Task CreateEndpoint_ConcurrentWithoutAddress_EveryAddressAndMacUnique()
    {
        await _state.CreateNetworkAsync("blue", "t1", Ipv4Subnet.Parse("10.1.0.0/24"), Ipv4Address.Parse("10.1.0.1"));

        Endpoint[] created = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => _state.CreateEndpointAsync(Request($"c{i}")))));

        Assert.Equal(200, created.Select(e => e.Ip).Distinct().Count());
        Assert.Equal(200, created.Select(e => e.Mac).Distinct().Count());
        Assert.Equal(200, created.Select(e => e.Id).Distinct().Count());
        Assert.DoesNotContain(created, e => e.Ip == Ipv4Address.Parse("10.1.0.1"));
        Assert.All(created, e => Assert.True(e.Mac.IsLocallyAdministered && !e.Mac.IsMulticast));
    }

    [Fact]
    public async Task CreateEndpoint_GatewayInTheMiddle_SkipsIt()
    {
        await _state.CreateNetworkAsync("blue", "t1", Ipv4Subnet.Parse("10.1.0.0/29"), Ipv4Address.Parse("10.1.0.3"));

        var ips = new List<Ipv4Address>();
        for (int i = 0; i < 5; i++)
        {
            ips.Add((await _state.CreateEndpointAsync(Request($"c{i}"))).Ip);
        }


        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.4", "10.1.0.5", "10.1.0.6"], ips.Select(ip => ip.ToString()));
        ControllerStateException full = await Assert.ThrowsAsync<ControllerStateException>(() => _state.CreateEndpointAsync(Request("c5")));
        Assert.Equal(StateError.Conflict, full.Error);
    }

    [Fact]
    public async Task SetEndpointPort_PortOfAnotherEndpointOnSameHost_Conflict()
    {
        await _state.CreateNetworkAsync("blue", "t1", Ipv4Subnet.Parse("10.1.0.0/24"), Ipv4Address.Parse("10.1.0.1"));
        await _state.CreateEndpointAsync(Request("c1"));
        await _state.CreateEndpointAsync(Request("c2"));
        await _state.CreateEndpointAsync(Request("c3") with { Host = "h2" });
        await _state.SetEndpointPortAsync("c1", 4);

        Assert.Equal(StateError.Conflict, (await Assert.ThrowsAsync<ControllerStateException>(() => _state.SetEndpointPortAsync("c2", 4))).Error);
        Assert.Equal(4u, (await _state.SetEndpointPortAsync("c3", 4)).After.OfPort);
        Assert.Equal("c1", _state.FindEndpointByPort("h1", 4)?.Name);
    }

    [Fact]
    public void UpdateConversation_EndedBeyondHistory_OldestForgottenActiveKept()
    {
        var state = new InMemoryControllerState(TimeProvider.System, endedConversationHistory: 2);
        for (ulong id = 1; id <= 4; id++)
        {
            state.AddConversation(Conversation(id));
        }

        for (ulong id = 1; id <= 3; id++)
        {
            state.UpdateConversation(id, c => c with { Conversation = c.Conversation with { State = ConversationState.Ended } });
        }

        Assert.Equal([2UL, 3UL, 4UL], state.Conversations().Select(c => c.Id));
        Assert.Equal([4UL], state.Conversations(ConversationState.Active).Select(c => c.Id));
        Assert.Null(state.UpdateConversation(1, c => c));
    }

    [Fact]
    public void CountDrop_ByHostAndReason_Accumulates()
    {
        _state.CountDrop("h1", "no-route", 60);
        _state.CountDrop("h1", "no-route", 40);
        _state.CountDrop("h2", "arp-unknown-target", 42);

        Assert.Equal(
            [new DropCount("h1", "no-route", 2, 100), new DropCount("h2", "arp-unknown-target", 1, 42)],
            _state.ControllerDrops());
    }

    [Fact]
    public async Task UpsertHost_SameDatapathKeepsStateNewDatapathResetsIt()
    {
        Host h1 = Host("h1", 1);
        await _state.UpsertHostAsync(h1);
        await _state.SetHostStateAsync("h1", HostState.Connected);

        Assert.Equal(HostState.Connected, (await _state.UpsertHostAsync(h1 with { UplinkPort = 3 })).State);
        Assert.Equal(HostState.Registered, (await _state.UpsertHostAsync(h1 with { DatapathId = 9 })).State);
        Assert.Equal("h1", _state.FindHostByDatapath(9)?.Name);
        Assert.Null(_state.FindHostByDatapath(1));
    }

    private static EndpointRequest Request(string name) =>
        new(name, "blue", "h1", null, null, null, new Dictionary<string, string>());

    private static Host Host(string name, ulong datapathId) =>
        new(name, datapathId, new MacAddress(0x02_00_00_00_00_00UL | datapathId), 1, new Ipv4Address(0xc6120000u | (uint)datapathId), "fabric", HostState.Registered, DateTimeOffset.UnixEpoch);

    private static ConversationRecord Conversation(ulong id) => new(
        new Conversation(id, id, "t1", "a", "b", DataPathMode.Direct, ConversationState.Active, DateTimeOffset.UnixEpoch, null, 0, 0, 0),
        1,
        "h1",
        "h2",
        1);
}
