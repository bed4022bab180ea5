// The recent-drops record behind `patchbay drops` (docs/policy.md, "Drop records"): the first packets the
// controller refused, keyed by who sent what to whom, why, and the rule or connection that decided, with a
// packet count (the first packet, the packets that raced it, and what the denial's drop flow dropped, reported
// by FLOW_REMOVED when the flow expires or is deleted). Live and unpersisted, bounded: past the capacity the
// key seen least recently is forgotten. The per-host aggregate (IControllerState.CountDrop) is kept apart.
namespace Patchbay.Controller.State;

/// <summary>What one recent-drops entry counts.</summary>
/// <param name="Source">The sending endpoint's name.</param>
/// <param name="Destination">The destination endpoint's name, or the address when no endpoint of the tenant has it.</param>
/// <param name="Protocol">"tcp/22", "udp/53", "icmp", "proto 47"; "arp" for an ARP request.</param>
/// <param name="Reason">Why: a policy reason (<c>rule</c>, <c>disconnected</c>, <c>other-tenant</c>, ...) or a routing one (<c>no-route</c>, <c>not-allowed-yet</c>).</param>
/// <param name="Rule">The rule or connection that decided, when one did.</param>
public sealed record RecentDropKey(string Source, string Destination, string Protocol, string Reason, string? Rule);

/// <param name="Host">The host whose switch sent the packets to the controller (the source's).</param>
/// <param name="Packets">The first packet and every later one of the key the controller or a drop flow dropped.</param>
public sealed record RecentDrop(RecentDropKey Key, string Host, string Tenant, ulong Packets, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

public sealed class RecentDrops(TimeProvider time)
{
    /// <summary>How many distinct keys are kept.</summary>
    public const int Capacity = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<RecentDropKey, LinkedListNode<RecentDrop>> _byKey = [];

    // Most recently seen first; the last node is the one to forget.
    private readonly LinkedList<RecentDrop> _order = new();

    /// <summary>Adds <paramref name="packets"/> to the key's count (creating it), and makes it the most recent.</summary>
    public void Record(RecentDropKey key, string host, string tenant, ulong packets)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out LinkedListNode<RecentDrop>? node))
            {
                _order.Remove(node);
                node.Value = node.Value with { Host = host, Packets = node.Value.Packets + packets, LastSeen = now };
                _order.AddFirst(node);
                return;
            }

            _byKey[key] = _order.AddFirst(new RecentDrop(key, host, tenant, packets, now, now));
            if (_order.Count > Capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _byKey.Remove(oldest.Value.Key);
            }
        }
    }

    /// <summary>The entries, most recently seen first.</summary>
    public IReadOnlyList<RecentDrop> List()
    {
        lock (_lock)
        {
            return [.. _order];
        }
    }
}
