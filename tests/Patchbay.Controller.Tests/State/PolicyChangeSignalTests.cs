// The change signal the policy enforcer waits on (IPolicyState.PolicyGeneration, WaitForPolicyChangeAsync): every
// committed change to endpoints or policies bumps the generation and wakes waiters, a burst is seen by one
// wait, and changes that cannot alter a decision (a network, an unchanged connect) wake nobody.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public sealed class PolicyChangeSignalTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NoLabels = [];
    private readonly MemoryStore _store = new();
    private StoreControllerState _state = null!;

    public async Task InitializeAsync()
    {
        _state = await StoreControllerState.OpenAsync(_store, TimeProvider.System);
        await _state.CreateNetworkAsync(new NetworkRequest("blue", null, Ipv4Subnet.Parse("10.1.0.0/24"), null, NoLabels));
    }

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task WaitForPolicyChange_BurstOfEndpointCreations_OneWaitSeesThemAll()
    {
        long seen = _state.PolicyGeneration;
        Task wait = _state.WaitForPolicyChangeAsync(seen, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(1, 3).Select(i => _state.CreateEndpointAsync(Endpoint($"e{i}"))));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(seen + 3, _state.PolicyGeneration);
        Assert.Equal(3, _state.CurrentPolicy.EndpointCount);
        Assert.True(_state.WaitForPolicyChangeAsync(seen + 2, CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(_state.WaitForPolicyChangeAsync(seen + 3, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task WaitForPolicyChange_ConnectThenSameConnectAgain_OnlyTheFirstSignals()
    {
        await _state.CreateEndpointAsync(Endpoint("a"));
        await _state.CreateEndpointAsync(Endpoint("b"));
        long seen = _state.PolicyGeneration;
        Task first = _state.WaitForPolicyChangeAsync(seen, CancellationToken.None);

        await _state.SetConnectionAsync(ConnectionTarget.Endpoint("a"), ConnectionTarget.Endpoint("b"), ConnectionAction.Disconnect, null, null);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Task second = _state.WaitForPolicyChangeAsync(_state.PolicyGeneration, CancellationToken.None);
        await _state.SetConnectionAsync(ConnectionTarget.Endpoint("a"), ConnectionTarget.Endpoint("b"), ConnectionAction.Disconnect, null, null);

        Assert.False(second.IsCompleted);
        Assert.Equal(PolicyVerdict.Deny, _state.CurrentPolicy.Decide(_state.FindEndpoint("a")!, _state.FindEndpoint("b")!, IpProtocol.Icmp, 0).Verdict);
    }

    [Fact]
    public async Task WaitForPolicyChange_NetworkCreated_DoesNotSignalAndWaitIsCancellable()
    {
        long seen = _state.PolicyGeneration;
        using var cancel = new CancellationTokenSource();
        Task wait = _state.WaitForPolicyChangeAsync(seen, cancel.Token);

        await _state.CreateNetworkAsync(new NetworkRequest("green", null, Ipv4Subnet.Parse("10.2.0.0/24"), null, NoLabels));

        Assert.False(wait.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(seen, _state.PolicyGeneration);
    }

    private static EndpointRequest Endpoint(string name) => new(name, "blue", "h1", null, null, null, NoLabels);
}
