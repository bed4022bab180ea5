// What the contract suite cannot show with one writer: two controller states on one store (the compares
// of each transaction keep a stale one from overwriting the other), the store documents themselves, and
// the live, unpersisted conversations and drop counters.
using System.Text;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public sealed class StoreControllerStateTests : IAsyncLifetime
{
    private readonly MemoryStore _store = new();
    private StoreControllerState _first = null!;
    private StoreControllerState? _second;

    public async Task InitializeAsync() => _first = await StoreControllerState.OpenAsync(_store, TimeProvider.System);

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [Fact]
    public async Task CreateEndpoint_StaleSecondWriterRequestsTakenAddress_ConflictAfterReload()
    {
        await _first.CreateNetworkAsync(Net("blue"));
        StoreControllerState second = await OpenSecondAsync();
        await _first.CreateEndpointAsync(Request("c1", "10.1.0.9"));

        ControllerStateException refused = await Assert.ThrowsAsync<ControllerStateException>(() => second.CreateEndpointAsync(Request("c2", "10.1.0.9")));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("ip 10.1.0.9 is already used in network 'blue' by endpoint 'c1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("c1", second.FindEndpointByIp("blue", Ipv4Address.Parse("10.1.0.9"))?.Name);
    }

    [Fact]
    public async Task CreateEndpoint_StaleSecondWriterAllocates_GetsTheNextFreeAddressAndId()
    {
        await _first.CreateNetworkAsync(Net("blue"));
        StoreControllerState second = await OpenSecondAsync();
        Endpoint c1 = await _first.CreateEndpointAsync(Request("c1", null));

        Endpoint c2 = await second.CreateEndpointAsync(Request("c2", null));

        Assert.NotEqual(c1.Ip, c2.Ip);
        Assert.NotEqual(c1.Id, c2.Id);
        Assert.NotEqual(c1.Mac, c2.Mac);
    }

    [Fact]
    public async Task CreateTenant_SameNameOnTwoWriters_ExactlyOneWins()
    {
        StoreControllerState second = await OpenSecondAsync();

        Task<Tenant>[] attempts = [.. Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? _first : second).CreateTenantAsync("acme", NoLabels)))];

        int won = 0;
        foreach (Task<Tenant> attempt in attempts)
        {
            try
            {
                await attempt;
                won++;
            }
            catch (ControllerStateException e) when (e.Error == StateError.Conflict)
            {
                Assert.Contains("'acme'", e.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(1, won);
        Assert.Single((await _store.ListAsync("/v1/tenants/acme")).Entries);
    }

    [Fact]
    public async Task DeleteTenant_StaleWriterDidNotSeeANewNetwork_Conflict()
    {
        await _first.CreateTenantAsync("acme", NoLabels);
        StoreControllerState second = await OpenSecondAsync();
        await second.CreateNetworkAsync(Net("blue") with { Tenant = "acme" });

        ControllerStateException refused = await Assert.ThrowsAsync<ControllerStateException>(() => _first.DeleteTenantAsync("acme"));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("network(s) (blue)", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await _store.GetAsync("/v1/tenants/acme"));
    }

    [Fact]
    public async Task CreateEndpoint_StoreDocuments_OneTransactionWithClaimAndIds()
    {
        await _first.CreateNetworkAsync(Net("blue"));
        long before = await _store.RevisionAsync();

        await _first.CreateEndpointAsync(Request("c1", "10.1.0.9") with { Labels = new Dictionary<string, string> { ["app"] = "web" } });

        StoreEntry endpoint = (await _store.GetAsync("/v1/endpoints/c1"))!;
        StoreEntry claim = (await _store.GetAsync("/v1/ipam/blue/10.1.0.9"))!;
        StoreEntry ids = (await _store.GetAsync("/v1/meta/ids"))!;
        Assert.Equal(before + 1, await _store.RevisionAsync());
        Assert.Equal([before + 1, before + 1, before + 1], new[] { endpoint.ModRevision, claim.ModRevision, ids.ModRevision });
        Assert.Equal("""{"endpoint":"c1"}""", Encoding.UTF8.GetString(claim.Value.Span));
        string json = Encoding.UTF8.GetString(endpoint.Value.Span);
        Assert.StartsWith("""{"id":1,"name":"c1","tenant":"default","network":"blue","ip":"10.1.0.9","mac":"0e:50:42:00:00:01","host":"h1","labels":{"app":"web"},"created":""", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteEndpoint_RemovesEndpointAndClaimInOneRevision()
    {
        await _first.CreateNetworkAsync(Net("blue"));
        await _first.CreateEndpointAsync(Request("c1", "10.1.0.9"));
        long before = await _store.RevisionAsync();

        await _first.DeleteEndpointAsync("c1");

        Assert.Equal(before + 1, await _store.RevisionAsync());
        Assert.Null(await _store.GetAsync("/v1/endpoints/c1"));
        Assert.Null(await _store.GetAsync("/v1/ipam/blue/10.1.0.9"));
    }

    [Fact]
    public void UpdateConversation_EndedBeyondHistory_OldestForgottenActiveKept()
    {
        var live = new LiveConversations(endedHistory: 2);
        for (ulong id = 1; id <= 4; id++)
        {
            live.Add(Conversation(id));
        }

        for (ulong id = 1; id <= 3; id++)
        {
            live.Update(id, c => c with { Conversation = c.Conversation with { State = ConversationState.Ended } });
        }

        Assert.Equal([2UL, 3UL, 4UL], live.List(null).Select(c => c.Id));
        Assert.Equal([4UL], live.List(ConversationState.Active).Select(c => c.Id));
        Assert.Null(live.Update(1, c => c));
        Assert.Throws<InvalidOperationException>(() => live.Add(Conversation(4)));
    }

    [Fact]
    public void LiveConversations_EveryFieldSet_FoundListedAndUpdatedUnchanged()
    {
        var live = new LiveConversations(endedHistory: 4);
        var started = new DateTimeOffset(2026, 11, 24, 3, 4, 5, TimeSpan.FromHours(2));
        var record = new ConversationRecord(
            new Conversation(70_000, 0x0200_0000_0001_1170, "t9", "src", "dst", DataPathMode.Direct, ConversationState.Active, started, null, 12, 3456, 0),
            42,
            "h7",
            "h8",
            3)
        {
            Policy = new ConversationPolicy(Core.Policy.DecisionReason.Rule, Core.Policy.PolicyGranularity.ProtocolPort, "web", null, new Core.Planning.TrafficScope(6, 8080)),
        };
        live.Add(record);

        Assert.Equal(record, live.Find(70_000));
        Assert.Equal([record], live.List(null));

        DateTimeOffset ended = started.AddSeconds(90);
        ConversationRecord? updated = live.Update(70_000, c => c with
        {
            PacketIns = c.PacketIns + 1,
            Conversation = c.Conversation with { State = ConversationState.Ended, Ended = ended, DurationSeconds = 90.5 },
        });

        ConversationRecord expected = record with
        {
            PacketIns = 4,
            Conversation = record.Conversation with { State = ConversationState.Ended, Ended = ended, DurationSeconds = 90.5 },
        };
        Assert.Equal(expected, updated);
        Assert.Equal(expected, live.Find(70_000));
        Assert.Equal([expected], live.List(ConversationState.Ended));
        Assert.Empty(live.List(ConversationState.Active));
    }

    [Fact]
    public async Task CountDrop_ByHostAndReason_AccumulatesAndIsNotStored()
    {
        _first.CountDrop("h1", "no-route", 60);
        _first.CountDrop("h1", "no-route", 40);
        _first.CountDrop("h2", "arp-unknown-target", 42);

        Assert.Equal(
            [new DropCount("h1", "no-route", 2, 100), new DropCount("h2", "arp-unknown-target", 1, 42)],
            _first.ControllerDrops());
        Assert.Empty((await OpenSecondAsync()).ControllerDrops());
    }

    /// <summary>A second controller on the same store, loaded now: it misses what the first one changes later.</summary>
    private async Task<StoreControllerState> OpenSecondAsync() => _second = await StoreControllerState.OpenAsync(_store, TimeProvider.System);

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private static NetworkRequest Net(string name) => new(name, null, Ipv4Subnet.Parse("10.1.0.0/24"), null, NoLabels);

    private static EndpointRequest Request(string name, string? ip) =>
        new(name, "blue", "h1", null, ip is null ? null : Ipv4Address.Parse(ip), null, NoLabels);

    private static ConversationRecord Conversation(ulong id) => new(
        new Conversation(id, id, "t1", "a", "b", DataPathMode.Direct, ConversationState.Active, DateTimeOffset.UnixEpoch, null, 0, 0, 0),
        1,
        "h1",
        "h2",
        1);
}
