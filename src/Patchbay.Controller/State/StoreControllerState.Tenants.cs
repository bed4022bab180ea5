// Tenants and hosts: names unique across the controller, a tenant deleted only without networks, a host
// only without endpoints, a datapath id belonging to one host.
using Patchbay.Core.Model;

namespace Patchbay.Controller.State;

public sealed partial class StoreControllerState
{
    public Task<Tenant> CreateTenantAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ModelRules.RequireName(name, "tenant");
        ModelRules.RequireLabels(labels, $"tenant '{name}'");
        IReadOnlyDictionary<string, string> frozen = ModelRules.Freeze(labels);
        return CommitAsync((index, change) =>
        {
            if (index.Tenants.ContainsKey(name))
            {
                throw ControllerStateException.Conflict("Tenant exists", $"tenant '{name}' already exists; pick another name");
            }

            IdsDocument ids = index.Ids!.Value.Value;
            var tenant = new Tenant(ids.Tenant + 1, name, frozen, _time.GetUtcNow());
            change.Expect(ModelKeys.Tenant(name), null);
            change.WriteIds(index, ids with { Tenant = tenant.Id });
            PutTenant(change, tenant);
            return tenant;
        }, cancellationToken);
    }

    public Tenant? FindTenant(string name)
    {
        lock (_lock)
        {
            return _index.Tenants.TryGetValue(name, out Versioned<Tenant> tenant) ? tenant.Value : null;
        }
    }

    public IReadOnlyList<Tenant> Tenants()
    {
        lock (_lock)
        {
            return [.. _index.Tenants.Values.Select(t => t.Value).OrderBy(t => t.Name, StringComparer.Ordinal)];
        }
    }

    public Task<Tenant> UpdateTenantLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ModelRules.RequireLabels(labels, $"tenant '{name}'");
        IReadOnlyDictionary<string, string> frozen = ModelRules.Freeze(labels);
        return CommitAsync((index, change) =>
        {
            Versioned<Tenant> tenant = RequireTenant(index, name);
            Tenant updated = tenant.Value with { Labels = frozen };
            change.Expect(ModelKeys.Tenant(name), tenant.ModRevision);
            PutTenant(change, updated);
            return updated;
        }, cancellationToken);
    }

    public Task<Tenant> DeleteTenantAsync(string name, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            Versioned<Tenant> tenant = RequireTenant(index, name);
            string[] networks = [.. index.Networks.Values.Where(n => n.Value.Tenant == name).Select(n => n.Value.Name).Order(StringComparer.Ordinal)];
            if (networks.Length > 0)
            {
                throw ControllerStateException.Conflict(
                    "Tenant in use",
                    $"tenant '{name}' still has {networks.Length} network(s) ({Abbreviate(networks)}); delete them first");
            }

            change.Expect(ModelKeys.Tenant(name), tenant.ModRevision);
            change.ExpectNoCreations(index);
            change.Delete(ModelKeys.Tenant(name));
            change.Then((i, _) => i.RemoveTenant(name));
            return tenant.Value;
        }, cancellationToken);

    public Task<Host> UpsertHostAsync(Host host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ModelRules.RequireName(host.Name, "host");
        return CommitAsync((index, change) =>
        {
            if (index.HostsByDatapath.TryGetValue(host.DatapathId, out Host? other) && other.Name != host.Name)
            {
                throw ControllerStateException.Conflict(
                    "Datapath id taken",
                    $"datapath id {host.DatapathId:x16} belongs to host '{other.Name}'; give this host's bridge another datapath id or delete host '{other.Name}'");
            }

            bool exists = index.Hosts.TryGetValue(host.Name, out Versioned<Host> existing);
            Host stored = host with { State = exists && existing.Value.DatapathId == host.DatapathId ? existing.Value.State : HostState.Registered };
            change.Expect(ModelKeys.Host(host.Name), exists ? existing.ModRevision : null);
            PutHost(change, stored);
            return stored;
        }, cancellationToken);
    }

    public Host? FindHost(string name)
    {
        lock (_lock)
        {
            return _index.Hosts.TryGetValue(name, out Versioned<Host> host) ? host.Value : null;
        }
    }

    public Host? FindHostByDatapath(ulong datapathId)
    {
        lock (_lock)
        {
            return _index.HostsByDatapath.GetValueOrDefault(datapathId);
        }
    }

    public IReadOnlyList<Host> Hosts()
    {
        lock (_lock)
        {
            return [.. _index.Hosts.Values.Select(h => h.Value).OrderBy(h => h.Name, StringComparer.Ordinal)];
        }
    }

    public Task<Host?> SetHostStateAsync(string name, HostState state, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            if (!index.Hosts.TryGetValue(name, out Versioned<Host> host))
            {
                return null;
            }

            Host updated = host.Value with { State = state, LastSeen = _time.GetUtcNow() };
            change.Expect(ModelKeys.Host(name), host.ModRevision);
            PutHost(change, updated);
            return (Host?)updated;
        }, cancellationToken);

    public Task<Host> DeleteHostAsync(string name, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            if (!index.Hosts.TryGetValue(name, out Versioned<Host> host))
            {
                throw ControllerStateException.NotFound("host", name);
            }

            string[] endpoints = [.. index.Endpoints.Values.Where(e => e.Value.Host == name).Select(e => e.Value.Name).Order(StringComparer.Ordinal)];
            if (endpoints.Length > 0)
            {
                throw ControllerStateException.Conflict(
                    "Host in use",
                    $"host '{name}' still has {endpoints.Length} endpoint(s) ({Abbreviate(endpoints)}); delete them first");
            }

            change.Expect(ModelKeys.Host(name), host.ModRevision);
            change.ExpectNoCreations(index);
            change.Delete(ModelKeys.Host(name));
            change.Then((i, _) => i.RemoveHost(name));
            return host.Value;
        }, cancellationToken);

    private static Versioned<Tenant> RequireTenant(ModelIndex index, string name) =>
        index.Tenants.TryGetValue(name, out Versioned<Tenant> tenant) ? tenant : throw ControllerStateException.NotFound("tenant", name);

    private static void PutTenant(Change change, Tenant tenant)
    {
        change.Put(ModelKeys.Tenant(tenant.Name), ModelJsonContext.Encode(TenantDocument.From(tenant), ModelJsonContext.Default.TenantDocument));
        change.Then((i, revision) => i.Put(tenant, revision));
    }

    private static void PutHost(Change change, Host host)
    {
        change.Put(ModelKeys.Host(host.Name), ModelJsonContext.Encode(HostDocument.From(host), ModelJsonContext.Default.HostDocument));
        change.Then((i, revision) => i.Put(host, revision));
    }

    /// <summary>The first few names of a long list, for a message that stays one line.</summary>
    private static string Abbreviate(string[] names) =>
        names.Length <= 5 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(5))} and {names.Length - 5} more";
}
