// Policies: apply a document, delete an object, connect or disconnect a pair, each one store transaction
// with compares on every key it read; and the compiled PolicyEngine, rebuilt when first asked after a
// change to the policies or the endpoints (endpoint labels decide group membership), with a generation
// number and a signal that the policy enforcer (Switching/PolicyEnforcer.cs) waits on.
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Store;

namespace Patchbay.Controller.State;

public sealed partial class StoreControllerState : IPolicyState
{
    private readonly Lock _compileLock = new();

    // Bumped after every commit that changes endpoints or policies; the engine compiled for an older one is stale.
    private long _policyGeneration;
    private CompiledPolicy _compiled = new(-1, PolicyEngine.Compile(PolicySet.Empty, []));

    // Completed (and replaced) by every bump of _policyGeneration: the change signal of WaitForPolicyChangeAsync.
    private TaskCompletionSource _policyChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long PolicyGeneration => Interlocked.Read(ref _policyGeneration);

    public async Task WaitForPolicyChangeAsync(long seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The signal before the generation: a bump between the two reads has completed this signal.
            Task changed = Volatile.Read(ref _policyChanged).Task;
            if (Interlocked.Read(ref _policyGeneration) > seen)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public PolicyEngine CurrentPolicy
    {
        get
        {
            CompiledPolicy compiled = Volatile.Read(ref _compiled);
            if (compiled.Generation == Interlocked.Read(ref _policyGeneration))
            {
                return compiled.Engine;
            }

            lock (_compileLock)
            {
                PolicySet policies;
                Endpoint[] endpoints;
                long generation;
                lock (_lock)
                {
                    generation = Interlocked.Read(ref _policyGeneration);
                    if (_compiled.Generation == generation)
                    {
                        return _compiled.Engine;
                    }

                    policies = _index.Policies.Set;
                    endpoints = [.. _index.Endpoints.Values.Select(e => e.Value)];
                }

                var engine = PolicyEngine.Compile(policies, endpoints);
                Volatile.Write(ref _compiled, new CompiledPolicy(generation, engine));
                return engine;
            }
        }
    }

    public PolicySet Policies()
    {
        lock (_lock)
        {
            return _index.Policies.Set;
        }
    }

    public Task<IReadOnlyList<PolicyObjectChange>> ApplyPolicyAsync(PolicyDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return CommitAsync<IReadOnlyList<PolicyObjectChange>>((index, change) =>
        {
            PolicyIndex stored = index.Policies;
            PolicySet applied = document.Policies;
            RequireSameTenant(applied.Groups, g => g.Name, g => g.Tenant, stored.Group, "group");
            RequireSameTenant(applied.Rules, r => r.Name, r => r.Tenant, stored.Rule, "rule");
            RequireSameTenant(applied.Connections, c => c.Name, c => c.Tenant, stored.Connection, "connection");
            RequireValid(document, index);

            var changes = new List<PolicyObjectChange>();
            foreach (EndpointGroup group in applied.Groups)
            {
                changes.Add(Upsert(index, change, PolicyObjectKind.Group, group.Name, stored.Group(group.Name), group, PolicyKeys.Encode(group), (i, r) => i.Policies.Put(group, r)));
            }

            foreach (PolicyRule rule in applied.Rules)
            {
                changes.Add(Upsert(index, change, PolicyObjectKind.Rule, rule.Name, stored.Rule(rule.Name), rule, PolicyKeys.Encode(rule), (i, r) => i.Policies.Put(rule, r)));
            }

            foreach (PairwiseConnection connection in applied.Connections)
            {
                changes.Add(Upsert(index, change, PolicyObjectKind.Connection, connection.Name, stored.Connection(connection.Name), connection, PolicyKeys.Encode(connection), (i, r) => i.Policies.Put(connection, r)));
            }

            return changes;
        }, cancellationToken);
    }

    public Task DeletePolicyObjectAsync(PolicyObjectKind kind, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CommitAsync((index, change) =>
        {
            PolicySet current = index.Policies.Set;
            if (index.Policies.Revision(kind, name) is not long revision)
            {
                throw ControllerStateException.NotFound(Lower(kind), name);
            }

            IReadOnlyList<PolicyProblem> problems = PolicyValidator.Validate(current.Remove(kind, name));
            if (problems.Count > 0)
            {
                throw ControllerStateException.Conflict(
                    $"{Capitalised(kind)} in use",
                    $"{Lower(kind)} '{name}' is still named by {string.Join("; ", problems.Select(p => $"{Lower(p.Kind)} '{p.Name}' ({p.Field})").Distinct(StringComparer.Ordinal))}; change or delete those first");
            }

            change.Expect(PolicyKeys.Key(kind, name), revision);
            change.Delete(PolicyKeys.Key(kind, name));
            change.Then((i, _) => i.Policies.Remove(kind, name));
            return true;
        }, cancellationToken);
    }

    public Task<(PairwiseConnection Connection, PolicyChange Change)> SetConnectionAsync(
        ConnectionTarget a,
        ConnectionTarget b,
        ConnectionAction action,
        string? tenant,
        string? name,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CommitAsync((index, change) =>
        {
            PolicySet current = index.Policies.Set;
            string tenantOfA = TenantOf(index, current, a);
            _ = TenantOf(index, current, b);
            PairwiseConnection? existing = current.Connections.FirstOrDefault(c => (c.A == a && c.B == b) || (c.A == b && c.B == a));
            string connectionName = existing?.Name ?? name ?? PairName(a, b);
            if (existing is null && current.Connections.Any(c => c.Name == connectionName))
            {
                throw ControllerStateException.Conflict("Connection exists", $"connection '{connectionName}' joins another pair; pick another name");
            }

            var connection = new PairwiseConnection(connectionName, tenant ?? existing?.Tenant ?? tenantOfA, action, a, b);
            if (existing == connection)
            {
                return (connection, PolicyChange.Unchanged);
            }

            IReadOnlyList<PolicyProblem> problems = PolicyValidator.Validate(current.Apply(PolicySet.Of([], [], [connection])), ModelView(index));
            if (problems.Count > 0)
            {
                string field = problems[0].Field.Split('.')[0] is "a" or "b" ? problems[0].Field.Split('.')[0] : problems[0].Field;
                throw ControllerStateException.Invalid("Invalid connection", string.Join("; ", problems.Select(p => $"{field}: {p.Message}")));
            }

            change.Expect(PolicyKeys.Key(PolicyObjectKind.Connection, connectionName), index.Policies.Revision(PolicyObjectKind.Connection, connectionName));
            change.Put(PolicyKeys.Key(PolicyObjectKind.Connection, connectionName), PolicyKeys.Encode(connection));
            change.Then((i, r) => i.Policies.Put(connection, r));
            return (connection, existing is null ? PolicyChange.Created : PolicyChange.Updated);
        }, cancellationToken);
    }

    /// <summary>Called after the index changed: a commit that wrote endpoints or policies, a load or a reload.</summary>
    private void PolicyInputsChanged(IEnumerable<StoreOp>? operations)
    {
        if (operations is null || operations.Any(o => o.Key.StartsWith(ModelKeys.Endpoints, StringComparison.Ordinal) || o.Key.StartsWith(PolicyKeys.Root, StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref _policyGeneration);
            Interlocked.Exchange(ref _policyChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private static PolicyObjectChange Upsert<T>(ModelIndex index, Change change, PolicyObjectKind kind, string name, T? current, T applied, ReadOnlyMemory<byte> value, Action<ModelIndex, long> edit)
        where T : class
    {
        if (applied.Equals(current))
        {
            return new PolicyObjectChange(kind, name, PolicyChange.Unchanged);
        }

        change.Expect(PolicyKeys.Key(kind, name), index.Policies.Revision(kind, name));
        change.Put(PolicyKeys.Key(kind, name), value);
        change.Then(edit);
        return new PolicyObjectChange(kind, name, current is null ? PolicyChange.Created : PolicyChange.Updated);
    }

    // The merged set must be consistent; what the model says about objects the document does not hold (a
    // network deleted since a rule named it) is not this document's fault and does not block it. Only what the
    // document can make wrong is validated (see Affected), so an apply costs the document, not the stored set.
    private static void RequireValid(PolicyDocument document, ModelIndex index)
    {
        PolicySet affected = Affected(document.Policies, index.Policies);
        var own = new HashSet<PolicyProblem>(PolicyValidator.Validate(affected));
        var named = new HashSet<(PolicyObjectKind, string)>(
            document.Policies.Groups.Select(g => (PolicyObjectKind.Group, g.Name))
                .Concat(document.Policies.Rules.Select(r => (PolicyObjectKind.Rule, r.Name)))
                .Concat(document.Policies.Connections.Select(c => (PolicyObjectKind.Connection, c.Name))));
        PolicyProblem[] problems = [.. PolicyValidator.Validate(affected, ModelView(index, affected)).Where(p => own.Contains(p) || named.Contains((p.Kind, p.Name)))];
        if (problems.Length > 0)
        {
            throw new PolicyDocumentException([.. problems.Select(document.Locate)]);
        }
    }

    // The part of the merged set (stored, with the document applied) whose validation the document can change:
    // its own objects, the stored rules and connections that name one of its groups (a group moved to another
    // tenant breaks them), and every group those name, as merged. A problem of any other stored object is one
    // the stored set already had or did not have before this document, and each object's problems depend only
    // on itself and the groups it names, so validating this part finds every problem of the merged set the
    // document can add.
    private static PolicySet Affected(PolicySet document, PolicyIndex stored)
    {
        var groups = document.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        var rules = document.Rules.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var connections = document.Connections.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach ((PolicyObjectKind kind, string name) in document.Groups.SelectMany(g => stored.ReferrersOf(g.Name)))
        {
            if (kind == PolicyObjectKind.Rule && stored.Rule(name) is { } rule)
            {
                rules.TryAdd(name, rule);
            }
            else if (kind == PolicyObjectKind.Connection && stored.Connection(name) is { } connection)
            {
                connections.TryAdd(name, connection);
            }
        }

        foreach (string name in rules.Values.SelectMany(PolicyIndex.GroupsNamedBy).Concat(connections.Values.SelectMany(PolicyIndex.GroupsNamedBy)).ToList())
        {
            if (!groups.ContainsKey(name) && stored.Group(name) is { } group)
            {
                groups.Add(name, group);
            }
        }

        return PolicySet.Of(groups.Values, rules.Values, connections.Values);
    }

    // Names are unique across tenants; a document of one tenant may not take over another tenant's object.
    private static void RequireSameTenant<T>(IReadOnlyList<T> applied, Func<T, string> name, Func<T, string> tenant, Func<string, T?> stored, string kind)
        where T : class
    {
        foreach (T item in applied)
        {
            if (stored(name(item)) is { } existing && tenant(existing) != tenant(item))
            {
                throw ControllerStateException.Conflict(
                    "Policy name taken",
                    $"{kind} '{name(item)}' belongs to tenant '{tenant(existing)}', not '{tenant(item)}'; policy names are unique across tenants: pick another name");
            }
        }
    }

    private static string TenantOf(ModelIndex index, PolicySet policies, ConnectionTarget target)
    {
        if (target.Kind == ConnectionTargetKind.Endpoint)
        {
            return index.Endpoints.TryGetValue(target.Name, out Versioned<Endpoint> endpoint)
                ? endpoint.Value.Tenant
                : throw ControllerStateException.NotFound("endpoint", target.Name);
        }

        return policies.Groups.FirstOrDefault(g => g.Name == target.Name)?.Tenant ?? throw ControllerStateException.NotFound("group", target.Name);
    }

    /// <summary>The name of a pair's connection: the two sides in ordinal order, a group marked "group.".</summary>
    private static string PairName(ConnectionTarget a, ConnectionTarget b)
    {
        string[] sides = [.. new[] { a, b }.Select(t => t.Kind == ConnectionTargetKind.Group ? "group." + t.Name : t.Name).Order(StringComparer.Ordinal)];
        string joined = $"{sides[0]}--{sides[1]}";
        return joined.Length <= 253 ? joined : joined[..253];
    }

    private static PolicyModelView ModelView(ModelIndex index) => new(
        [.. index.Tenants.Keys],
        [.. index.Networks.Values.Select(n => n.Value)],
        [.. index.Endpoints.Values.Select(e => e.Value)]);

    // The model as far as these policies name it: every tenant, and only the networks and endpoints they name.
    private static PolicyModelView ModelView(ModelIndex index, PolicySet policies) => new(
        [.. index.Tenants.Keys],
        [.. policies.Rules.SelectMany(r => r.Peers).Where(p => p.Kind == PeerKind.Network && p.Name is not null).Select(p => p.Name!).Distinct(StringComparer.Ordinal)
            .Select(n => index.Networks.TryGetValue(n, out Versioned<Network> network) ? network.Value : null).OfType<Network>()],
        [.. policies.Connections.SelectMany(c => new[] { c.A, c.B }).Where(t => t.Kind == ConnectionTargetKind.Endpoint).Select(t => t.Name).Distinct(StringComparer.Ordinal)
            .Select(n => index.Endpoints.TryGetValue(n, out Versioned<Endpoint> endpoint) ? endpoint.Value : null).OfType<Endpoint>()]);

    private static string Lower(PolicyObjectKind kind) => kind.ToString().ToLowerInvariant();

    private static string Capitalised(PolicyObjectKind kind) => kind.ToString();

    private sealed record CompiledPolicy(long Generation, PolicyEngine Engine);
}
