// Applying a document against many stored policy objects (issue #7 point 5: an apply costs the document, not
// the stored set): the one object it names is replaced and nothing else moves, a name of another tenant is
// still refused while the same name in another kind is not, and the errors with their lines are those of
// validating the whole merged set against the whole model.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public sealed class PolicyApplyIndexTests : IAsyncLifetime
{
    private const int StoredRules = 300;
    private static readonly Dictionary<string, string> NoLabels = [];

    private readonly MemoryStore _store = new();
    private StoreControllerState _state = null!;

    public async Task InitializeAsync()
    {
        _state = await StoreControllerState.OpenAsync(_store, TimeProvider.System);
        await _state.CreateTenantAsync("t2", NoLabels);
        await _state.CreateNetworkAsync(new NetworkRequest("blue", null, Ipv4Subnet.Parse("10.1.0.0/24"), null, NoLabels));
        await _state.CreateNetworkAsync(new NetworkRequest("red", "t2", Ipv4Subnet.Parse("10.2.0.0/24"), null, NoLabels));
        await _state.CreateEndpointAsync(new EndpointRequest("w1", "blue", "h1", null, null, null, new Dictionary<string, string> { ["app"] = "web" }));
        await _state.CreateEndpointAsync(new EndpointRequest("d1", "blue", "h2", null, null, null, new Dictionary<string, string> { ["app"] = "db" }));
        await _state.ApplyPolicyAsync(PolicyDocument.Parse(Groups));
        await _state.ApplyPolicyAsync(PolicyDocument.Parse(RulesDocument(Enumerable.Range(0, StoredRules), i => 1000 + i)));
    }

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static string Groups => """
        groups:
          - name: web
            selector: {matchLabels: {app: web}}
          - name: db
            selector: {matchLabels: {app: db}}
        """;

    [Fact]
    public async Task Apply_OneOfManyStoredRules_OnlyItReplacedAndEngineFollows()
    {
        long revision = await _store.RevisionAsync();
        PolicySet before = _state.Policies();

        IReadOnlyList<PolicyObjectChange> changes = await _state.ApplyPolicyAsync(PolicyDocument.Parse(RulesDocument([150], _ => 8080)));

        Assert.Equal([new PolicyObjectChange(PolicyObjectKind.Rule, "r150", PolicyChange.Updated)], changes);
        Assert.Equal(revision + 1, await _store.RevisionAsync());
        PolicySet after = _state.Policies();
        Assert.Equal(StoredRules, after.Rules.Count);
        Assert.Equal([new PortRange(8080, 8080)], after.Rules.Single(r => r.Name == "r150").Ports);
        Assert.Equal(before.Rules.Where(r => r.Name != "r150"), after.Rules.Where(r => r.Name != "r150"));
        PolicyDecision decision = _state.CurrentPolicy.Decide(_state.FindEndpoint("w1")!, _state.FindEndpoint("d1")!, IpProtocol.Tcp, 8080);
        Assert.Equal((PolicyVerdict.Allow, "r150"), (decision.Verdict, decision.Rule?.Name));
    }

    [Fact]
    public async Task Apply_NameOfAnotherTenantsObject_ConflictButSameNameInAnotherKindAccepted()
    {
        long revision = await _store.RevisionAsync();

        ControllerStateException group = await Assert.ThrowsAsync<ControllerStateException>(
            () => _state.ApplyPolicyAsync(PolicyDocument.Parse("groups:\n  - name: web\n    tenant: t2\n")));
        ControllerStateException rule = await Assert.ThrowsAsync<ControllerStateException>(
            () => _state.ApplyPolicyAsync(PolicyDocument.Parse(RulesDocument([7], i => 1000 + i).Replace("  - name: r7\n", "  - name: r7\n    tenant: t2\n", StringComparison.Ordinal))));
        Assert.Equal(revision, await _store.RevisionAsync());

        IReadOnlyList<PolicyObjectChange> accepted = await _state.ApplyPolicyAsync(PolicyDocument.Parse("groups:\n  - name: r7\n    tenant: t2\n    selector: {matchLabels: {app: web}}\n"));

        Assert.Equal((StateError.Conflict, StateError.Conflict), (group.Error, rule.Error));
        Assert.Contains("group 'web' belongs to tenant 'default', not 't2'", group.Message, StringComparison.Ordinal);
        Assert.Contains("rule 'r7' belongs to tenant 'default', not 't2'", rule.Message, StringComparison.Ordinal);
        Assert.Equal([new PolicyObjectChange(PolicyObjectKind.Group, "r7", PolicyChange.Created)], accepted);
        Assert.Equal("default", _state.Policies().Rules.Single(r => r.Name == "r7").Tenant);
    }

    [Fact]
    public async Task Apply_DocumentWithErrors_ErrorsAndLinesThoseOfTheWholeMergedSet()
    {
        const string Document = """
            groups:
              - name: db2
                selector: {matchExpressions: [{key: app, operator: In}]}
            rules:
              - name: r5
                appliesTo: db
                direction: ingress
                peers: [{group: nope}, {network: red}]
                protocol: tcp
                ports: ["80"]
                action: allow
                priority: 10
              - name: new-rule
                appliesTo: db2
                direction: egress
                peers: [{network: gone}, {tenant: t2}]
                protocol: icmp
                ports: ["9"]
                action: deny
                priority: 20
            connections:
              - name: c1
                a: {group: web}
                b: {group: web}
                action: connect
            """;
        PolicySet stored = _state.Policies();
        PolicyDocument document = PolicyDocument.Parse(Document, "p.yaml");
        PolicyDocumentError[] expected = ExpectedErrors(document, stored);

        PolicyDocumentException refused = await Assert.ThrowsAsync<PolicyDocumentException>(() => _state.ApplyPolicyAsync(document));

        Assert.Equal(expected, refused.Errors);
        Assert.Contains(new PolicyDocumentError("p.yaml", 3, "groups[0].selector.matchExpressions[0].values", "operator In needs at least one value"), refused.Errors);
        Assert.Contains(refused.Errors, e => e is { Line: 8, Path: "rules[0].peers[0].group" });
        Assert.Contains(refused.Errors, e => e is { Line: 8, Path: "rules[0].peers[1].network" } && e.Message.Contains("belongs to tenant 't2'", StringComparison.Ordinal));
        Assert.Contains(refused.Errors, e => e is { Path: "rules[1].peers[0].network" } && e.Message.Contains("'gone' does not exist", StringComparison.Ordinal));
        Assert.Contains(refused.Errors, e => e is { Path: "connections[0].b" });
        Assert.True(stored.SameAs(_state.Policies()));
    }

    // The check as it was before the index: the whole stored set with the document applied, against the whole model.
    private PolicyDocumentError[] ExpectedErrors(PolicyDocument document, PolicySet stored)
    {
        PolicySet merged = stored.Apply(document.Policies);
        var model = new PolicyModelView(
            ["default", "t2"],
            [_state.FindNetwork("blue")!, _state.FindNetwork("red")!],
            [_state.FindEndpoint("w1")!, _state.FindEndpoint("d1")!]);
        var own = new HashSet<PolicyProblem>(PolicyValidator.Validate(merged));
        var named = new HashSet<(PolicyObjectKind, string)>(
            document.Policies.Groups.Select(g => (PolicyObjectKind.Group, g.Name))
                .Concat(document.Policies.Rules.Select(r => (PolicyObjectKind.Rule, r.Name)))
                .Concat(document.Policies.Connections.Select(c => (PolicyObjectKind.Connection, c.Name))));
        PolicyDocumentError[] errors = [.. PolicyValidator.Validate(merged, model).Where(p => own.Contains(p) || named.Contains((p.Kind, p.Name))).Select(document.Locate)];
        Assert.True(errors.Length >= 6, $"the document should have at least 6 errors, not {errors.Length}");
        return errors;
    }

    private static string RulesDocument(IEnumerable<int> numbers, Func<int, int> port) =>
        "rules:\n" + string.Concat(numbers.Select(i => $"""
              - name: r{i}
                appliesTo: db
                direction: ingress
                peers: [{"{"}group: web{"}"}]
                protocol: tcp
                ports: ["{port(i)}"]
                action: allow
                priority: {i}

            """));
}
