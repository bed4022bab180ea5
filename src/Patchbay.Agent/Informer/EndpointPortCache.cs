// The informer's cache: the bridge's endpoint interfaces as OVSDB last reported them (Interface rows whose
// external_ids name an endpoint), keyed by row. Every change puts the endpoint's name on the work queue.
using Patchbay.Agent.Ovs;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Agent.Informer;

/// <summary>One plugged endpoint's interface; <see cref="OfPort"/> is null until ovs-vswitchd assigns it.</summary>
public sealed record PluggedPort(string Endpoint, string Interface, long? OfPort, string? LinkState);

public sealed class EndpointPortCache
{
    private readonly Dictionary<Guid, PluggedPort> _byRow = [];
    private readonly WorkQueue _queue;

    public EndpointPortCache(WorkQueue queue)
    {
        _queue = queue;
    }

    public void Apply(OvsdbRowUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        PluggedPort? after = update.New is null ? null : FromRow(update.New);
        PluggedPort? before;
        lock (_byRow)
        {
            _byRow.TryGetValue(update.Uuid, out before);
            if (after is null)
            {
                _byRow.Remove(update.Uuid);
            }
            else
            {
                _byRow[update.Uuid] = after;
            }
        }

        if (before is not null && before != after)
        {
            _queue.Add(before.Endpoint);
        }

        if (after is not null && after != before)
        {
            _queue.Add(after.Endpoint);
        }
    }

    /// <summary>The endpoint's interface with an assigned port if there is one, else any interface naming it.</summary>
    public PluggedPort? Find(string endpoint)
    {
        lock (_byRow)
        {
            PluggedPort? found = null;
            foreach (PluggedPort port in _byRow.Values)
            {
                if (string.Equals(port.Endpoint, endpoint, StringComparison.Ordinal) && (found is null || port.OfPort > 0))
                {
                    found = port;
                }
            }

            return found;
        }
    }

    public IReadOnlyList<PluggedPort> Snapshot()
    {
        lock (_byRow)
        {
            return [.. _byRow.Values.OrderBy(p => p.Endpoint, StringComparer.Ordinal)];
        }
    }

    private static PluggedPort? FromRow(OvsdbRow row)
    {
        if (!row.TryGet("external_ids", out OvsdbValue? ids) || !ids!.AsStringMap().TryGetValue(HostBridge.EndpointKey, out string? endpoint))
        {
            return null;
        }

        return new PluggedPort(endpoint, row.GetString("name"), row.GetOptionalInteger("ofport"), row.TryGet("link_state", out OvsdbValue? link) ? link!.AsOptionalString() : null);
    }
}
