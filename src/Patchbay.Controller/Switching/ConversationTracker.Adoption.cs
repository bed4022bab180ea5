// A switch (re)connects holding conversation flows. Conversations are live and not stored, so after a controller
// restart every conversation cookie on the switches is unknown; their flows kept forwarding meanwhile (fail-mode
// secure). Each such cookie is read back to its endpoint pair, re-planned with the same id, and adopted when the
// switch's flows for it are exactly the plan's: a normal active conversation again (the pair's next first packet
// joins it, idle expiry ends it) when the current policy still allows the pair at IP-pair granularity (protocol +
// port flows and denials' drop flows are not read back: they are retired, and the next first packet decides again).
// Anything else is retired: deleted here and on the pair's other switch, and never adopted again. Known
// conversations get their flows on the switch made right (missing ones re-added, at their decision's scope); known
// denials' drop flows are left alone until they expire.
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Controller.Switching;

/// <summary>What a connecting switch's conversation flows should become.</summary>
/// <param name="Desired">The flows of the active conversations on this switch, to reconcile with the static flows.</param>
/// <param name="KeepCookies">Conversations still being set up: their installed flows are left alone.</param>
/// <param name="DeleteElsewhere">Retired cookies and the other hosts whose switches may hold them.</param>
/// <param name="End">Active conversations that cannot be planned any more (an endpoint went away, or they collide): end them.</param>
public sealed record SwitchConversations(
    IReadOnlyList<FlowMod> Desired,
    IReadOnlySet<ulong> KeepCookies,
    IReadOnlyList<(ulong Cookie, IReadOnlyList<string> Hosts)> DeleteElsewhere,
    IReadOnlyList<ulong> End);

public sealed partial class ConversationTracker
{
    private readonly Lock _adoption = new();

    /// <summary>
    /// Adopts the unknown conversations whose flows on <paramref name="host"/>'s switch are still right, retires the
    /// others, and returns the conversation flows the switch should hold.
    /// </summary>
    public SwitchConversations PlanForSwitch(Host host, IReadOnlyList<FlowStats> installed)
    {
        ArgumentNullException.ThrowIfNull(host);

        // Switches connect at once after a restart, and two of them hold the same cookie: one adopts, the other
        // must then see it as known, not as a second conversation of the pair.
        lock (_adoption)
        {
            return PlanForSwitchLocked(host, installed);
        }
    }

    private SwitchConversations PlanForSwitchLocked(Host host, IReadOnlyList<FlowStats> installed)
    {
        IReadOnlyList<InstalledConversation> found = InstalledConversation.ReadAll(installed, out IReadOnlyList<ulong> unreadable);
        var deleteElsewhere = new List<(ulong Cookie, IReadOnlyList<string> Hosts)>();
        foreach (ulong cookie in unreadable.Where(c => state.FindConversation(Cookies.IdOf(c))?.IsActive != true && !IsLiveDenial(Cookies.IdOf(c))))
        {
            Retire(host, cookie, [], "its flows name no single network and address pair");
        }

        foreach (InstalledConversation conversation in found.Where(c => state.FindConversation(c.Id)?.IsActive != true && !IsLiveDenial(c.Id)))
        {
            string? reason = TryAdopt(host, conversation, out IReadOnlyList<string> otherHosts, out ConversationRecord? record);
            if (record is not null)
            {
                ControllerSwitchingLog.ConversationAdopted(logger, host.Name, record.Id, record.Conversation.Source, record.Conversation.Destination);
            }
            else
            {
                Retire(host, conversation.Cookie, otherHosts, reason ?? "not adoptable");
                deleteElsewhere.Add((conversation.Cookie, otherHosts));
            }
        }

        var desired = new List<FlowMod>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var keep = new HashSet<ulong>();
        var end = new List<ulong>();
        foreach (ConversationRecord record in state.Conversations(ConversationState.Active).Where(c => c.Hosts.Contains(host.Name)))
        {
            if (!IsSetUp(record.Id))
            {
                keep.Add(record.Conversation.Cookie);
                continue;
            }

            IReadOnlyList<FlowMod>? flows = Replan(record, host.Name);
            if (flows is null || !flows.All(f => keys.Add(FlowReconciler.KeyOf(f))))
            {
                end.Add(record.Id);
                continue;
            }

            desired.AddRange(flows);
        }

        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                foreach (LiveEntry denial in stripe.Entries.Values.Where(e => e.Denial is not null && e.Hosts.Contains(host.Name)))
                {
                    keep.Add(Cookies.Of(FlowKind.Conversation, denial.Id));
                }
            }
        }

        return new SwitchConversations(desired, keep, deleteElsewhere, end);
    }

    /// <summary>Deletes a retired conversation's flows by cookie on the switches of <paramref name="hosts"/> that are ready.</summary>
    public async Task DeleteOnHostsAsync(ulong cookie, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        FlowMod delete = planner.DeleteConversation(cookie);
        foreach (string host in hosts)
        {
            if (switches.ReadyFor(host) is not SwitchContext context)
            {
                continue;
            }

            try
            {
                await context.Session.SendAsync(delete, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                ControllerLog.ConversationDeleteFailed(logger, Cookies.IdOf(cookie), host, e);
            }
        }
    }

    // Null and a record when adopted; otherwise the reason and the hosts (besides this one) that may hold the cookie too.
    private string? TryAdopt(Host host, InstalledConversation found, out IReadOnlyList<string> otherHosts, out ConversationRecord? adopted)
    {
        otherHosts = [];
        adopted = null;
        if (_retired.ContainsKey(found.Id))
        {
            return "retired when another switch connected";
        }

        if (state.FindConversation(found.Id) is not null)
        {
            return "the conversation ended";
        }

        if (state.FindNetwork(found.NetworkId) is not Network network)
        {
            return $"network {found.NetworkId} does not exist";
        }

        Endpoint? low = state.FindEndpointByIp(network.Name, found.Low);
        Endpoint? high = state.FindEndpointByIp(network.Name, found.High);
        if (low is null || high is null || low.OfPort is null || high.OfPort is null)
        {
            return $"no plugged endpoints {found.Low} and {found.High} in network {network.Name}";
        }

        otherHosts = [.. new[] { low.Host, high.Host }.Where(h => h != host.Name).Distinct()];
        if (low.Host != host.Name && high.Host != host.Name)
        {
            return $"neither {low.Name} nor {high.Name} is on host {host.Name}";
        }

        if (state.FindHost(low.Host) is not Host lowHost || state.FindHost(high.Host) is not Host highHost)
        {
            return $"the host of {low.Name} or {high.Name} is not registered";
        }

        PolicyEngine engine = policy.CurrentPolicy;
        PolicyDecision decision = engine.Decide(low.Id, high.Id, 0, 0);
        PolicyDecision reverse = engine.Decide(high.Id, low.Id, 0, 0);
        if (!decision.IsAllowed || decision.Granularity != PolicyGranularity.IpPair || !reverse.IsAllowed || reverse.Granularity != PolicyGranularity.IpPair)
        {
            return $"the policy no longer allows the pair as a whole ({decision})";
        }

        ConversationPlan plan;
        try
        {
            plan = planner.PlanConversation(found.Id, low, lowHost, high, highHost, network);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return e.Message;
        }

        if (!FlowReconciler.SameFlows(FlowsOn(plan, host.Name, low.Host), found.Flows))
        {
            return "its flows differ from the plan";
        }

        // The switch cannot say which side spoke first: the lower address is recorded as the source.
        DateTimeOffset now = time.GetUtcNow();
        var record = new ConversationRecord(
            new Conversation(
                found.Id,
                plan.Cookie,
                network.Tenant,
                low.Name,
                high.Name,
                plan.Mode,
                ConversationState.Active,
                now - TimeSpan.FromSeconds(found.Flows.Max(f => f.DurationSec)),
                null,
                0,
                0,
                0),
            network.Id,
            low.Host,
            high.Host,
            0)
        {
            Policy = new ConversationPolicy(decision.Reason, decision.Granularity, decision.Rule?.Name, decision.Connection?.Name, TrafficScope.IpPair),
        };
        var key = ConversationKey.Pair(network.Id, low.Ip, high.Ip);
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            if (stripe.Entries.TryGetValue(key, out LiveEntry? existing))
            {
                return $"the pair has conversation {existing.Id} already";
            }

            try
            {
                RaiseHighestForeignId(found.Id);
                state.AddConversation(record);
            }
            catch (InvalidOperationException e)
            {
                return e.Message;
            }

            var entry = new LiveEntry(
                found.Id, low.Id, high.Id, TrafficScope.IpPair, decision.Verdict, decision.Granularity, decision.Reason, decision.Rule?.Name, decision.Connection?.Name, [.. record.Hosts], null, network.Tenant);
            entry.Finish(ready: true);
            stripe.Entries[key] = entry;
            _pairOf.Set(found.Id, key);
        }

        adopted = record;
        return null;
    }

    private void Retire(Host host, ulong cookie, IReadOnlyList<string> otherHosts, string reason)
    {
        ulong id = Cookies.IdOf(cookie);
        RaiseHighestForeignId(id);
        _retired.TryAdd(id, true);

        ControllerSwitchingLog.ConversationRetired(logger, host.Name, cookie, reason, otherHosts.Count == 0 ? "-" : string.Join(", ", otherHosts));
    }

    private void RaiseHighestForeignId(ulong id)
    {
        ulong highest = Volatile.Read(ref _highestForeignId);
        while (id > highest)
        {
            ulong seen = Interlocked.CompareExchange(ref _highestForeignId, id, highest);
            if (seen == highest)
            {
                return;
            }

            highest = seen;
        }
    }

    // The flows this host's switch should hold for an active conversation; null when it can no longer be planned.
    private IReadOnlyList<FlowMod>? Replan(ConversationRecord record, string hostName)
    {
        Endpoint? source = state.FindEndpoint(record.Conversation.Source);
        Endpoint? destination = state.FindEndpoint(record.Conversation.Destination);
        Network? network = state.FindNetwork(record.NetworkId);
        if (source is null || destination is null || network is null || source.OfPort is null || destination.OfPort is null
            || source.Host != record.SourceHost || destination.Host != record.DestinationHost
            || state.FindHost(source.Host) is not Host sourceHost || state.FindHost(destination.Host) is not Host destinationHost)
        {
            return null;
        }

        try
        {
            TrafficScope scope = record.Policy?.Scope ?? TrafficScope.IpPair;
            return FlowsOn(planner.PlanConversation(record.Id, source, sourceHost, destination, destinationHost, network, scope), hostName, source.Host);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    // Set up means its flows were sent (or it was adopted); a conversation still being set up is left to its setup.
    private bool IsSetUp(ulong id) => FindLive(id)?.IsReady == true;

    // A denial this controller made: its drop flow is known, not a stray to adopt or retire.
    private bool IsLiveDenial(ulong id) => FindLive(id)?.Denial is not null;

    private static IReadOnlyList<FlowMod> FlowsOn(ConversationPlan plan, string hostName, string sourceHost) =>
        plan.SameHost || hostName == sourceHost ? plan.SourceSwitch : plan.DestinationSwitch;
}
