// The rules of the controller's model (docs/model.md), run against StoreControllerState over every store:
// each refused change with its error kind, a message naming the field, and the store revision unchanged;
// concurrency; and the same state after a reopen.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public abstract class ControllerStateContractTests : IAsyncLifetime
{
    private StoreControllerState? _state;

    protected IStore Store { get; private set; } = null!;

    protected StoreControllerState State => _state!;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IStore> CreateStoreAsync();

    /// <summary>The same store as a restarted controller finds it (the old instance may be disposed).</summary>
    protected abstract Task<IStore> ReopenStoreAsync(IStore store);

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        _state = await StoreControllerState.OpenAsync(Store, TimeProvider.System);
    }

    public virtual async Task DisposeAsync()
    {
        if (_state is not null)
        {
            await _state.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    [Fact]
    public void Open_EmptyStore_HasOnlyTheDefaultTenant()
    {
        Tenant tenant = Assert.Single(State.Tenants());

        Assert.Equal(Tenant.DefaultName, tenant.Name);
        Assert.True(State.IsReady);
    }

    [Fact]
    public async Task CreateNetwork_NoTenant_BelongsToDefault()
    {
        Network network = await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", tenant: null));

        Assert.Equal(Tenant.DefaultName, network.Tenant);
        Assert.Equal(Ipv4Address.Parse("10.1.0.1"), network.Gateway);
    }

    [Fact]
    public async Task CreateNetwork_UnknownTenant_NotFoundWithHintAndNothingStored()
    {
        ControllerStateException refused = await RefusedAsync(() => State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", tenant: "acme")));

        Assert.Equal(StateError.NotFound, refused.Error);
        Assert.Contains("tenant 'acme' does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Contains("patchbay tenant create acme", refused.Message, StringComparison.Ordinal);
        Assert.Null(State.FindNetwork("blue"));
    }

    [Fact]
    public async Task CreateNetwork_IdenticalSubnetInTwoTenants_Allowed()
    {
        await State.CreateTenantAsync("t1", NoLabels);
        await State.CreateTenantAsync("t2", NoLabels);

        Network blue = await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", "t1"));
        Network red = await State.CreateNetworkAsync(Net("red", "10.1.0.0/24", "t2"));

        Assert.Equal(blue.Subnet, red.Subnet);
        Assert.NotEqual(blue.Id, red.Id);
    }

    [Theory]
    [InlineData("10.1.0.0/24")]
    [InlineData("10.1.0.128/25")]
    [InlineData("10.0.0.0/8")]
    public async Task CreateNetwork_OverlappingSubnetInOneTenant_ConflictNamingTheOtherNetwork(string subnet)
    {
        await State.CreateTenantAsync("t1", NoLabels);
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", "t1"));

        ControllerStateException refused = await RefusedAsync(() => State.CreateNetworkAsync(Net("red", subnet, "t1")));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains($"subnet {subnet} overlaps network 'blue' (10.1.0.0/24)", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.2.0.1")]
    [InlineData("10.1.0.0")]
    [InlineData("10.1.0.255")]
    public async Task CreateNetwork_GatewayNotAHostAddress_InvalidNamingGateway(string gateway)
    {
        ControllerStateException refused = await RefusedAsync(() => State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", gateway: gateway)));

        Assert.Equal(StateError.Invalid, refused.Error);
        Assert.Contains($"gateway {gateway} is not a host address of 10.1.0.0/24", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNetwork_DuplicateName_ConflictEvenInAnotherTenant()
    {
        await State.CreateTenantAsync("t1", NoLabels);
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));

        ControllerStateException refused = await RefusedAsync(() => State.CreateNetworkAsync(Net("blue", "10.2.0.0/24", "t1")));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("network 'blue' already exists", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "a/b")]
    [InlineData("tenant", "-x")]
    [InlineData("tenant", "")]
    [InlineData("network", "blue green")]
    [InlineData("endpoint", "c1/../x")]
    public async Task Create_IllegalName_InvalidNamingTheKind(string kind, string name)
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));

        ControllerStateException refused = await RefusedAsync(() => kind switch
        {
            "tenant" => State.CreateTenantAsync(name, NoLabels),
            "network" => State.CreateNetworkAsync(Net(name, "10.2.0.0/24")),
            _ => State.CreateEndpointAsync(Request(name)),
        });

        Assert.Equal(StateError.Invalid, refused.Error);
        Assert.Contains($"{kind} name", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTenant_IllegalLabel_InvalidNamingLabels()
    {
        ControllerStateException refused = await RefusedAsync(() => State.CreateTenantAsync("acme", new Dictionary<string, string> { ["bad key"] = "v" }));

        Assert.Equal(StateError.Invalid, refused.Error);
        Assert.Contains("labels of tenant 'acme': key 'bad key'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTenant_DuplicateName_Conflict()
    {
        Tenant first = await State.CreateTenantAsync("acme", NoLabels);

        ControllerStateException refused = await RefusedAsync(() => State.CreateTenantAsync("acme", NoLabels));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("tenant 'acme' already exists", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first, State.FindTenant("acme"));
    }

    [Theory]
    [InlineData("10.2.0.5", StateError.Invalid, "ip 10.2.0.5 is not in blue's subnet 10.1.0.0/24")]
    [InlineData("10.1.0.0", StateError.Invalid, "ip 10.1.0.0 is the network address of blue")]
    [InlineData("10.1.0.1", StateError.Invalid, "ip 10.1.0.1 is the gateway address of blue")]
    [InlineData("10.1.0.255", StateError.Invalid, "ip 10.1.0.255 is the broadcast address of blue")]
    [InlineData("10.1.0.9", StateError.Conflict, "ip 10.1.0.9 is already used in network 'blue' by endpoint 'c1'")]
    public async Task CreateEndpoint_UnusableRequestedAddress_RefusedNamingIp(string ip, StateError error, string message)
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        await State.CreateEndpointAsync(Request("c1") with { Ip = Ipv4Address.Parse("10.1.0.9") });

        ControllerStateException refused = await RefusedAsync(() => State.CreateEndpointAsync(Request("c2") with { Ip = Ipv4Address.Parse(ip) }));

        Assert.Equal(error, refused.Error);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEndpoint_GatewayInTheMiddle_LowestFreeSkipsItUntilExhausted()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/29", gateway: "10.1.0.3"));

        var ips = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            ips.Add((await State.CreateEndpointAsync(Request($"c{i}"))).Ip.ToString());
        }

        ControllerStateException full = await RefusedAsync(() => State.CreateEndpointAsync(Request("c5")));
        Assert.Equal(["10.1.0.1", "10.1.0.2", "10.1.0.4", "10.1.0.5", "10.1.0.6"], ips);
        Assert.Equal(StateError.Conflict, full.Error);
        Assert.Equal("network blue (10.1.0.0/29) has no free address: 5 of 5 in use", full.Message);
    }

    [Fact]
    public async Task DeleteEndpoint_ReleasesItsAddressToTheNextAllocation()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        await State.CreateEndpointAsync(Request("c1"));
        Endpoint c2 = await State.CreateEndpointAsync(Request("c2"));
        await State.CreateEndpointAsync(Request("c3"));

        await State.DeleteEndpointAsync("c2");
        Endpoint c4 = await State.CreateEndpointAsync(Request("c4"));
        Endpoint c5 = await State.CreateEndpointAsync(Request("c5") with { Ip = null });

        Assert.Equal(c2.Ip, c4.Ip);
        Assert.Equal(Ipv4Address.Parse("10.1.0.5"), c5.Ip);
        Assert.Null(State.FindEndpoint("c2"));
        Assert.Equal("c4", State.FindEndpointByIp("blue", c2.Ip)?.Name);
    }

    [Fact]
    public async Task CreateEndpoint_TenantDefaultsToTheNetworksOtherTenantInvalid()
    {
        await State.CreateTenantAsync("t1", NoLabels);
        await State.CreateTenantAsync("t2", NoLabels);
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", "t1"));

        Endpoint defaulted = await State.CreateEndpointAsync(Request("c1"));
        Endpoint named = await State.CreateEndpointAsync(Request("c2") with { Tenant = "t1" });
        ControllerStateException refused = await RefusedAsync(() => State.CreateEndpointAsync(Request("c3") with { Tenant = "t2" }));

        Assert.Equal("t1", defaulted.Tenant);
        Assert.Equal("t1", named.Tenant);
        Assert.Equal(StateError.Invalid, refused.Error);
        Assert.Contains("tenant 't2' does not match: network 'blue' belongs to tenant 't1'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEndpoint_UnknownNetwork_InvalidNamingNetwork()
    {
        ControllerStateException refused = await RefusedAsync(() => State.CreateEndpointAsync(Request("c1") with { Network = "nope" }));

        Assert.Equal(StateError.Invalid, refused.Error);
        Assert.Contains("network 'nope' does not exist", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEndpoint_MacOfAnotherEndpoint_ConflictNamingMac()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        Endpoint c1 = await State.CreateEndpointAsync(Request("c1"));

        ControllerStateException refused = await RefusedAsync(() => State.CreateEndpointAsync(Request("c2") with { Mac = c1.Mac }));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains($"mac {c1.Mac} belongs to endpoint 'c1'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEndpoint_RequestedMacEqualToTheNextAllocatedOne_AllocationSkipsIt()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        Endpoint taker = await State.CreateEndpointAsync(Request("c1") with { Mac = StoreControllerState.AllocatedMac(2) });

        Endpoint next = await State.CreateEndpointAsync(Request("c2"));

        Assert.NotEqual(taker.Mac, next.Mac);
        Assert.Equal(StoreControllerState.AllocatedMac(next.Id), next.Mac);
    }

    [Fact]
    public async Task DeleteTenant_WithNetworks_ConflictUntilTheyAreGone()
    {
        await State.CreateTenantAsync("acme", NoLabels);
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", "acme"));

        ControllerStateException refused = await RefusedAsync(() => State.DeleteTenantAsync("acme"));
        await State.DeleteNetworkAsync("blue");
        await State.DeleteTenantAsync("acme");

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("tenant 'acme' still has 1 network(s) (blue)", refused.Message, StringComparison.Ordinal);
        Assert.Null(State.FindTenant("acme"));
        Assert.Equal(StateError.NotFound, (await RefusedAsync(() => State.DeleteTenantAsync("acme"))).Error);
    }

    [Fact]
    public async Task DeleteNetwork_WithEndpoints_Conflict()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        await State.CreateEndpointAsync(Request("c1"));

        ControllerStateException refused = await RefusedAsync(() => State.DeleteNetworkAsync("blue"));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("network 'blue' still has 1 endpoint(s) (c1)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteHost_WithEndpoints_ConflictUntilTheyAreGone()
    {
        await State.UpsertHostAsync(Host("h1", 1));
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        await State.CreateEndpointAsync(Request("c1"));

        ControllerStateException refused = await RefusedAsync(() => State.DeleteHostAsync("h1"));
        await State.DeleteEndpointAsync("c1");
        Host deleted = await State.DeleteHostAsync("h1");

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("host 'h1' still has 1 endpoint(s) (c1)", refused.Message, StringComparison.Ordinal);
        Assert.Equal("h1", deleted.Name);
        Assert.Null(State.FindHost("h1"));
        Assert.Null(State.FindHostByDatapath(1));
        Assert.Equal(StateError.NotFound, (await RefusedAsync(() => State.DeleteHostAsync("h1"))).Error);
    }

    [Fact]
    public async Task UpdateLabels_UnknownObjects_NotFound()
    {
        Assert.Equal(StateError.NotFound, (await RefusedAsync(() => State.UpdateTenantLabelsAsync("nope", NoLabels))).Error);
        Assert.Equal(StateError.NotFound, (await RefusedAsync(() => State.UpdateNetworkLabelsAsync("nope", NoLabels))).Error);
        Assert.Equal(StateError.NotFound, (await RefusedAsync(() => State.UpdateEndpointLabelsAsync("nope", NoLabels))).Error);
    }

    [Fact]
    public async Task UpdateLabels_ReplacesThemAndKeepsEverythingElse()
    {
        Network network = await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        Endpoint endpoint = await State.CreateEndpointAsync(Request("c1") with { Labels = new Dictionary<string, string> { ["app"] = "web" } });

        Tenant tenant = await State.UpdateTenantLabelsAsync(Tenant.DefaultName, new Dictionary<string, string> { ["tier"] = "gold" });
        Network relabelled = await State.UpdateNetworkLabelsAsync("blue", new Dictionary<string, string> { ["env"] = "prod" });
        Endpoint updated = await State.UpdateEndpointLabelsAsync("c1", new Dictionary<string, string> { ["app"] = "db" });

        Assert.Equal("gold", State.FindTenant(Tenant.DefaultName)!.Labels["tier"]);
        Assert.Equal(1u, tenant.Id);
        Assert.Equal(network with { Labels = relabelled.Labels }, relabelled);
        Assert.Equal("prod", State.FindNetwork("blue")!.Labels["env"]);
        Assert.Equal(endpoint with { Labels = updated.Labels }, updated);
        Assert.Equal("db", State.FindEndpoint("c1")!.Labels["app"]);
    }

    [Fact]
    public async Task SetEndpointPort_PortOfAnotherEndpointOnSameHost_Conflict()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        await State.CreateEndpointAsync(Request("c1"));
        await State.CreateEndpointAsync(Request("c2"));
        await State.CreateEndpointAsync(Request("c3") with { Host = "h2" });
        await State.SetEndpointPortAsync("c1", 4);

        ControllerStateException refused = await RefusedAsync(() => State.SetEndpointPortAsync("c2", 4));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("port 4 of host 'h1' belongs to endpoint 'c1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(4u, (await State.SetEndpointPortAsync("c3", 4)).After.OfPort);
        Assert.Equal("c1", State.FindEndpointByPort("h1", 4)?.Name);
        (Endpoint before, Endpoint after) = await State.SetEndpointPortAsync("c1", 7);
        Assert.Equal((4u, 7u), (before.OfPort!.Value, after.OfPort!.Value));
        Assert.Null(State.FindEndpointByPort("h1", 4));
    }

    [Fact]
    public async Task UpsertHost_SameDatapathKeepsStateNewDatapathResetsIt()
    {
        Host h1 = Host("h1", 1);
        await State.UpsertHostAsync(h1);
        await State.SetHostStateAsync("h1", HostState.Connected);

        Assert.Equal(HostState.Connected, (await State.UpsertHostAsync(h1 with { UplinkPort = 3 })).State);
        Assert.Equal(HostState.Registered, (await State.UpsertHostAsync(h1 with { DatapathId = 9 })).State);
        Assert.Equal("h1", State.FindHostByDatapath(9)?.Name);
        Assert.Null(State.FindHostByDatapath(1));
        Assert.Null(await State.SetHostStateAsync("nope", HostState.Connected));
    }

    [Fact]
    public async Task UpsertHost_DatapathOfAnotherHost_Conflict()
    {
        await State.UpsertHostAsync(Host("h1", 1));

        ControllerStateException refused = await RefusedAsync(() => State.UpsertHostAsync(Host("h2", 1)));

        Assert.Equal(StateError.Conflict, refused.Error);
        Assert.Contains("datapath id 0000000000000001 belongs to host 'h1'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_NeverReusedAfterDelete()
    {
        Network first = await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        Endpoint c1 = await State.CreateEndpointAsync(Request("c1"));
        await State.DeleteEndpointAsync("c1");
        await State.DeleteNetworkAsync("blue");

        Network second = await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));
        Endpoint again = await State.CreateEndpointAsync(Request("c1"));

        Assert.True(second.Id > first.Id, $"network id {second.Id} after {first.Id}");
        Assert.True(again.Id > c1.Id, $"endpoint id {again.Id} after {c1.Id}");
        Assert.Null(State.FindNetwork(first.Id));
        Assert.Equal(second, State.FindNetwork(second.Id));
    }

    [Fact]
    public async Task Refused_EveryKind_StoreRevisionUnchanged()
    {
        await State.CreateTenantAsync("t1", NoLabels);
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/29", "t1"));
        await State.UpsertHostAsync(Host("h1", 1));
        for (int i = 0; i < 5; i++)
        {
            await State.CreateEndpointAsync(Request($"c{i}"));
        }

        await State.SetEndpointPortAsync("c0", 3);
        long revision = await Store.RevisionAsync();

        Func<Task>[] refusals =
        [
            () => State.CreateTenantAsync("t1", NoLabels),
            () => State.CreateNetworkAsync(Net("red", "10.1.0.0/24", "t1")),
            () => State.CreateNetworkAsync(Net("red", "10.2.0.0/24", "nope")),
            () => State.CreateEndpointAsync(Request("c9")),
            () => State.CreateEndpointAsync(Request("c0")),
            () => State.CreateEndpointAsync(Request("c9") with { Ip = Ipv4Address.Parse("10.1.0.1") }),
            () => State.SetEndpointPortAsync("c1", 3),
            () => State.DeleteTenantAsync("t1"),
            () => State.DeleteNetworkAsync("blue"),
            () => State.DeleteHostAsync("h1"),
            () => State.DeleteEndpointAsync("nope"),
            () => State.UpsertHostAsync(Host("h2", 1)),
        ];
        foreach (Func<Task> refusal in refusals)
        {
            await Assert.ThrowsAsync<ControllerStateException>(refusal);
        }

        Assert.Equal(revision, await Store.RevisionAsync());
        Assert.Equal(5, State.Endpoints().Count);
    }

    [Fact]
    public async Task CreateEndpoint_200InParallel_UniqueAddressesMacsAndIds()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));

        Endpoint[] created = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => State.CreateEndpointAsync(Request($"c{i}")))));

        Assert.Equal(200, created.Select(e => e.Ip).Distinct().Count());
        Assert.Equal(200, created.Select(e => e.Mac).Distinct().Count());
        Assert.Equal(200, created.Select(e => e.Id).Distinct().Count());
        Assert.DoesNotContain(created, e => e.Ip == Ipv4Address.Parse("10.1.0.1"));
        Assert.All(created, e => Assert.True(e.Mac.IsLocallyAdministered && !e.Mac.IsMulticast));
        Assert.Equal(200, (await Store.ListAsync("/v1/ipam/blue/")).Entries.Count);
    }

    [Fact]
    public async Task Create_SameNameConcurrently_ExactlyOneWins()
    {
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24"));

        Task<Tenant>[] tenants = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() => State.CreateTenantAsync("acme", NoLabels)))];
        Task<Network>[] networks = [.. Enumerable.Range(0, 8).Select(i => Task.Run(() => State.CreateNetworkAsync(Net("red", $"10.{10 + i}.0.0/24"))))];
        Task<Endpoint>[] endpoints = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(() => State.CreateEndpointAsync(Request("c1"))))];

        await AssertOneWinnerAsync(tenants);
        await AssertOneWinnerAsync(networks);
        await AssertOneWinnerAsync(endpoints);
        Assert.Single((await Store.ListAsync("/v1/ipam/blue/")).Entries);
    }

    [Fact]
    public async Task Reopen_EverythingComesBackIdentical()
    {
        await State.CreateTenantAsync("acme", new Dictionary<string, string> { ["tier"] = "gold" });
        await State.CreateNetworkAsync(Net("blue", "10.1.0.0/24", "acme") with { Labels = new Dictionary<string, string> { ["env"] = "prod" } });
        await State.CreateNetworkAsync(Net("red", "10.1.0.0/24", gateway: "10.1.0.254"));
        await State.UpsertHostAsync(Host("h1", 1));
        await State.UpsertHostAsync(Host("h2", 2) with { Segment = "rack2", UplinkPort = 7 });
        await State.CreateEndpointAsync(Request("c1") with { Labels = new Dictionary<string, string> { ["app"] = "web", ["team"] = "a" } });
        await State.CreateEndpointAsync(Request("c2") with { Ip = Ipv4Address.Parse("10.1.0.77"), Mac = MacAddress.Parse("02:00:00:00:aa:01"), Host = "h2" });
        await State.CreateEndpointAsync(Request("c3") with { Network = "red" });
        await State.SetEndpointPortAsync("c2", 5);
        await State.DeleteEndpointAsync("c1");
        await State.CreateEndpointAsync(Request("c4"));
        string before = Snapshot(State);

        StoreControllerState reopened = await ReopenAsync();

        Assert.Equal(before, Snapshot(reopened));
        Assert.Equal("c2", reopened.FindEndpointByPort("h2", 5)?.Name);
        Assert.Equal("c4", reopened.FindEndpointByIp("blue", Ipv4Address.Parse("10.1.0.2"))?.Name);
        Assert.Equal("h2", reopened.FindHostByDatapath(2)?.Name);
        Assert.Equal("blue", reopened.FindNetwork(reopened.FindNetwork("blue")!.Id)?.Name);
        Endpoint c5 = await reopened.CreateEndpointAsync(Request("c5"));
        Assert.Equal(Ipv4Address.Parse("10.1.0.3"), c5.Ip);
        Assert.True(c5.Id > reopened.FindEndpoint("c4")!.Id);
    }

    [Fact]
    public async Task Reopen_ConnectedHost_RegisteredUntilItsSwitchReconnectsLastSeenKept()
    {
        await State.UpsertHostAsync(Host("h1", 1));
        Host connected = (await State.SetHostStateAsync("h1", HostState.Connected))!;

        StoreControllerState reopened = await ReopenAsync();

        Assert.Equal(connected with { State = HostState.Registered }, reopened.FindHost("h1"));
        Assert.Equal(HostState.Registered, reopened.FindHostByDatapath(1)?.State);
        Assert.Equal(HostState.Connected, (await reopened.SetHostStateAsync("h1", HostState.Connected))?.State);
    }

    [Fact]
    public async Task Reopen_DefaultTenantDeleted_StaysDeleted()
    {
        await State.DeleteTenantAsync(Tenant.DefaultName);

        StoreControllerState reopened = await ReopenAsync();

        Assert.Empty(reopened.Tenants());
    }

    [Fact]
    public async Task NextConversationId_AfterReopenWithoutShutdown_AboveEveryEarlierId()
    {
        await ReopenAsync(new StoreControllerStateOptions { ConversationIdBlock = 8 }, dispose: true);
        ulong[] first = [.. Enumerable.Range(0, 100).Select(_ => State.NextConversationId())];

        // The old state is not disposed: as after kill -9, nothing is flushed at shutdown.
        await ReopenAsync(new StoreControllerStateOptions { ConversationIdBlock = 8 }, dispose: false);
        ulong[] second = [.. Enumerable.Range(0, 100).Select(_ => State.NextConversationId())];

        Assert.Equal(100, first.Distinct().Count());
        Assert.Equal(100, second.Distinct().Count());
        Assert.True(second.Min() > first.Max(), $"first id after reopen {second.Min()}, last before {first.Max()}");
    }

    [Fact]
    public async Task NextConversationId_ManyThreads_Unique()
    {
        await ReopenAsync(new StoreControllerStateOptions { ConversationIdBlock = 16 }, dispose: true);

        ulong[][] ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 500).Select(_ => State.NextConversationId()).ToArray())));

        Assert.Equal(2000, ids.SelectMany(i => i).Distinct().Count());
    }

    protected static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    protected static NetworkRequest Net(string name, string subnet, string? tenant = null, string? gateway = null) =>
        new(name, tenant, Ipv4Subnet.Parse(subnet), gateway is null ? null : Ipv4Address.Parse(gateway), NoLabels);

    protected static EndpointRequest Request(string name) => new(name, "blue", "h1", null, null, null, NoLabels);

    protected static Host Host(string name, ulong datapathId) =>
        new(name, datapathId, new MacAddress(0x02_00_00_00_00_00UL | datapathId), 1, new Ipv4Address(0xc6120000u | (uint)datapathId), "fabric", HostState.Registered, DateTimeOffset.UnixEpoch);

    protected static async Task<ControllerStateException> RefusedAsync(Func<Task> change) => await Assert.ThrowsAsync<ControllerStateException>(change);

    /// <summary>Replaces the state by one opened on the same store, as a restarted controller would.</summary>
    protected async Task<StoreControllerState> ReopenAsync(StoreControllerStateOptions? options = null, bool dispose = true)
    {
        if (dispose)
        {
            await State.DisposeAsync();
        }

        Store = await ReopenStoreAsync(Store);
        _state = await StoreControllerState.OpenAsync(Store, TimeProvider.System, options);
        return State;
    }

    private static async Task AssertOneWinnerAsync<T>(Task<T>[] attempts)
    {
        int won = 0;
        foreach (Task<T> attempt in attempts)
        {
            try
            {
                await attempt;
                won++;
            }
            catch (ControllerStateException e) when (e.Error == StateError.Conflict)
            {
                Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(1, won);
    }

    // Every stored field of the model as text, labels sorted, so that two states compare with one Assert.Equal.
    private static string Snapshot(StoreControllerState state)
    {
        static string Labels(IReadOnlyDictionary<string, string> labels) => string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return string.Join(
            "\n",
            [
                .. state.Tenants().Select(t => $"tenant {t.Id} {t.Name} [{Labels(t.Labels)}] {t.Created:O}"),
                .. state.Networks().Select(n => $"network {n.Id} {n.Name} {n.Tenant} {n.Subnet} {n.Gateway} [{Labels(n.Labels)}]"),
                .. state.Endpoints().Select(e => $"endpoint {e.Id} {e.Name} {e.Tenant} {e.Network} {e.Ip} {e.Mac} {e.Host} {e.OfPort} [{Labels(e.Labels)}] {e.Created:O}"),
                .. state.Hosts().Select(h => $"host {h} {h.LastSeen:O}"),
            ]);
    }
}
