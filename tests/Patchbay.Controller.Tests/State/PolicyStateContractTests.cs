// The policy part of StoreControllerState (IPolicyState) over every store: apply and re-apply (the store
// revision does not move), a refused document stores nothing, delete, connect/disconnect, the policy
// after a reopen, and the compiled engine following policy and endpoint changes.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public abstract class PolicyStateContractTests : IAsyncLifetime
{
    private const string Document = """
        groups:
          - name: web
            selector: {matchLabels: {app: web}}
          - name: db
            selector: {matchLabels: {app: db}}
        rules:
          - name: web-to-db
            appliesTo: db
            direction: ingress
            peers: [{group: web}]
            protocol: tcp
            ports: ["80"]
            action: allow
            priority: 10
        """;

    private IStore _store = null!;
    private StoreControllerState _state = null!;

    protected abstract Task<IStore> CreateStoreAsync();

    protected abstract Task<IStore> ReopenStoreAsync(IStore store);

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        _state = await StoreControllerState.OpenAsync(_store, TimeProvider.System);
        await _state.CreateNetworkAsync(new NetworkRequest("blue", null, Ipv4Subnet.Parse("10.1.0.0/24"), null, new Dictionary<string, string>()));
        await _state.CreateNetworkAsync(new NetworkRequest("green", null, Ipv4Subnet.Parse("10.2.0.0/24"), null, new Dictionary<string, string>()));
        await Endpoint("w1", "blue", "web");
        await Endpoint("d1", "green", "db");
    }

    public virtual async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Apply_Twice_SecondUnchangedAndStoreRevisionSame()
    {
        IReadOnlyList<PolicyObjectChange> first = await _state.ApplyPolicyAsync(PolicyDocument.Parse(Document));
        long revision = await _store.RevisionAsync();

        IReadOnlyList<PolicyObjectChange> second = await _state.ApplyPolicyAsync(PolicyDocument.Parse(Document));

        Assert.All(first, c => Assert.Equal(PolicyChange.Created, c.Change));
        Assert.All(second, c => Assert.Equal(PolicyChange.Unchanged, c.Change));
        Assert.Equal(3, second.Count);
        Assert.Equal(revision, await _store.RevisionAsync());
    }

    [Fact]
    public async Task Apply_Invalid_ThrowsWithLineAndStoresNothing()
    {
        long revision = await _store.RevisionAsync();

        PolicyDocumentException refused = await Assert.ThrowsAsync<PolicyDocumentException>(
            () => _state.ApplyPolicyAsync(PolicyDocument.Parse(Document.Replace("[{group: web}]", "[{group: nope}]", StringComparison.Ordinal), "p.yaml")));

        PolicyDocumentError error = Assert.Single(refused.Errors);
        Assert.Equal(("p.yaml", 10, "rules[0].peers[0].group"), (error.File, error.Line, error.Path));
        Assert.Equal(0, _state.Policies().Count);
        Assert.Equal(revision, await _store.RevisionAsync());
    }

    [Fact]
    public async Task Delete_RuleThenGroup_GoneAndGroupInUseRefusedBefore()
    {
        await _state.ApplyPolicyAsync(PolicyDocument.Parse(Document));

        ControllerStateException inUse = await Assert.ThrowsAsync<ControllerStateException>(() => _state.DeletePolicyObjectAsync(PolicyObjectKind.Group, "web"));
        await _state.DeletePolicyObjectAsync(PolicyObjectKind.Rule, "web-to-db");
        await _state.DeletePolicyObjectAsync(PolicyObjectKind.Group, "web");
        ControllerStateException gone = await Assert.ThrowsAsync<ControllerStateException>(() => _state.DeletePolicyObjectAsync(PolicyObjectKind.Group, "web"));

        Assert.Equal(StateError.Conflict, inUse.Error);
        Assert.Equal(StateError.NotFound, gone.Error);
        Assert.Equal(["db"], _state.Policies().Groups.Select(g => g.Name));
    }

    [Fact]
    public async Task Engine_FollowsPolicyAndEndpointLabels()
    {
        Assert.Equal(DecisionReason.OtherNetwork, Decide("w1", "d1").Reason);

        await _state.ApplyPolicyAsync(PolicyDocument.Parse(Document));
        Assert.Equal((PolicyVerdict.Allow, "web-to-db"), (Decide("w1", "d1").Verdict, Decide("w1", "d1").Rule?.Name));

        await _state.UpdateEndpointLabelsAsync("w1", new Dictionary<string, string> { ["app"] = "other" });
        Assert.Equal(PolicyVerdict.Deny, Decide("w1", "d1").Verdict);

        await _state.DeleteEndpointAsync("w1");
        Assert.Empty(_state.CurrentPolicy.MembersOf("web"));
    }

    [Fact]
    public async Task Connection_DisconnectThenConnect_OneObjectAndEngineFollows()
    {
        (PairwiseConnection apart, PolicyChange created) = await _state.SetConnectionAsync(
            ConnectionTarget.Endpoint("w1"), ConnectionTarget.Endpoint("d1"), ConnectionAction.Disconnect, null, null);
        (PairwiseConnection together, PolicyChange updated) = await _state.SetConnectionAsync(
            ConnectionTarget.Endpoint("d1"), ConnectionTarget.Endpoint("w1"), ConnectionAction.Connect, null, null);
        ControllerStateException unknown = await Assert.ThrowsAsync<ControllerStateException>(() => _state.SetConnectionAsync(
            ConnectionTarget.Endpoint("w1"), ConnectionTarget.Group("ghost"), ConnectionAction.Connect, null, null));

        Assert.Equal((PolicyChange.Created, PolicyChange.Updated), (created, updated));
        Assert.Equal(apart.Name, together.Name);
        Assert.Equal(StateError.NotFound, unknown.Error);
        Assert.Equal(DecisionReason.Connected, Decide("w1", "d1").Reason);
        Assert.Single(_state.Policies().Connections);
    }

    [Fact]
    public async Task Reopen_PoliciesAndEngineComeBack()
    {
        await _state.ApplyPolicyAsync(PolicyDocument.Parse(Document));
        await _state.SetConnectionAsync(ConnectionTarget.Group("web"), ConnectionTarget.Endpoint("d1"), ConnectionAction.Disconnect, null, null);
        PolicySet before = _state.Policies();

        await _state.DisposeAsync();
        _store = await ReopenStoreAsync(_store);
        _state = await StoreControllerState.OpenAsync(_store, TimeProvider.System);

        Assert.True(before.SameAs(_state.Policies()));
        Assert.Equal(DecisionReason.Disconnected, Decide("w1", "d1").Reason);
    }

    private PolicyDecision Decide(string source, string destination) =>
        _state.CurrentPolicy.Decide(_state.FindEndpoint(source)!, _state.FindEndpoint(destination)!, IpProtocol.Tcp, 80);

    private Task<Endpoint> Endpoint(string name, string network, string app) =>
        _state.CreateEndpointAsync(new EndpointRequest(name, network, "h1", null, null, null, new Dictionary<string, string> { ["app"] = app }));
}

public sealed class MemoryStorePolicyStateTests : PolicyStateContractTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());

    protected override Task<IStore> ReopenStoreAsync(IStore store) => Task.FromResult(store);
}

public sealed class SqliteStorePolicyStateTests : PolicyStateContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pb-policy-").FullName;

    protected override async Task<IStore> CreateStoreAsync() => await SqliteStore.OpenAsync(_directory);

    protected override async Task<IStore> ReopenStoreAsync(IStore store)
    {
        await store.DisposeAsync();
        return await SqliteStore.OpenAsync(_directory);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
