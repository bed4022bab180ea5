// The life of a conversation on the switches: set up once per key, destination switch first, then the source,
// each with a barrier, then the first packet sent on; ended when its first flow idles out (the rest are
// deleted by cookie on both switches so no half-conversation stays) or when an endpoint goes away. The key
// follows the policy decision (docs/policy.md, "Enforcement"): an IP-pair allow is one conversation per
// endpoint pair (concurrent first packets of the pair, in either direction, share one setup); a protocol +
// port allow is one per direction, protocol and port; a denial is one per direction (and protocol and port
// when granular) and owns a short-lived drop flow on the source switch. Every live conversation and denial
// keeps the decision it was made with (LiveDecisions), so a policy change can end what it no longer allows.
// After a controller restart the conversations whose flows are still right on the switches are adopted (same
// id and cookie), so live traffic is not disturbed (docs/restart.md). One ended while it is being set up has its
// flows deleted again after the setup's barriers, so no revoked conversation keeps forwarding.
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using PolicyKey = (Patchbay.Core.Policy.DecisionReason Reason, Patchbay.Core.Policy.PolicyGranularity Granularity, string? Rule, string? Connection, Patchbay.Core.Planning.TrafficScope Scope);

namespace Patchbay.Controller.Switching;

public sealed partial class ConversationTracker(
    IControllerState state,
    IPolicyState policy,
    RecentDrops drops,
    SwitchRegistry switches,
    FlowPlanner planner,
    TimeProvider time,
    ILogger<ConversationTracker> logger)
{
    // The first packet's action list, the same for every one (actions are immutable).
    private static readonly OfpAction[] ToTable = [new OutputAction(OfpPortNo.Table)];

    /// <summary>How long a first packet that raced another one of its pair waits for that setup.</summary>
    private static readonly TimeSpan RacingPacketWait = TimeSpan.FromSeconds(10);

    // Stripes of the live entries (a power of two): first packets of different pairs claim their keys in parallel. Many
    // small stripes, not a few large ones: a stripe's table stays below the large-object heap's threshold up to about
    // 2,000 entries (two million live entries in all), so its growing copies are young objects. With 64 stripes every
    // copy went to the large-object heap and drew a full collection every few seconds under a first-packet flood.
    private const int StripeCount = 1024;

    // The live conversations and denials by key, in stripes by endpoint pair: both keys a pair's packets can
    // have (the pair's, a direction's) fall in one stripe, so a claim checks both under one lock. An id's key
    // is in _pairOf, which changes only under the key's stripe lock along with the stripe.
    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Stripe())];
    private readonly IdMap<ConversationKey> _pairOf = new();

    // What live conversations share (see HostsOf, PolicyOf): host lists by host pair, policy records by decision.
    private const int SharedCapacity = 1 << 12;
    private readonly ConcurrentDictionary<(string Source, string Destination), ReadOnlyCollection<string>> _hostLists = new();
    private readonly ConcurrentDictionary<PolicyKey, ConversationPolicy> _policies = new();

    // Denials ended or expired whose drop flow's FLOW_REMOVED (with its packet count) has not come back yet.
    private readonly ConcurrentDictionary<ulong, DenialDrop> _expiringDenials = new();

    // Ids found in switches' cookies that were not adopted: their flows are deleted, and the id is never
    // handed out or adopted again in this process, so a switch that connects later cannot revive them.
    private readonly ConcurrentDictionary<ulong, bool> _retired = new();

    // The highest id adopted or retired so far: NewId looks up only ids at or below it.
    private ulong _highestForeignId;

    /// <summary>
    /// Handles the first packet of a key the policy engine has decided (<see cref="FirstPacket.Decision"/>): an
    /// allowed one is set up unless a conversation of its key (or of its pair) exists or is being set up, then
    /// sent on through the new flows from the port it came in on; a denied one gets a drop flow on the source
    /// switch unless its denial exists, and is counted in the recent drops with the rule that denied it. What it
    /// returns never faults: a setup that fails is logged and ended. It may throw before it returns (no id could be
    /// reserved in the store).
    /// </summary>
    public Task HandleFirstPacketAsync(FirstPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        PolicyDecision decision = packet.Decision;
        TrafficScope scope = packet.Scope;
        var pairKey = ConversationKey.Pair(packet.Network.Id, packet.Source.Ip, packet.DestinationAddress);
        ConversationKey key = decision.IsAllowed && scope.IsIpPair
            ? pairKey
            : ConversationKey.Directed(packet.Network.Id, packet.Source.Ip, packet.DestinationAddress, scope);
        LiveEntry? entry = null;
        bool claimed = false;
        FlowMod? denial = null;
        string? unplannable = null;

        // Claim and record under the pair's stripe lock, so a racing packet of the key always finds the record; the
        // flows are planned after it (SetUpAsync), so no other first packet waits for that. A live IP-pair
        // conversation of the pair carries every packet of it, whatever this packet's own key.
        Stripe stripe = StripeOf(pairKey);
        lock (stripe.Lock)
        {
            if (key == pairKey || !stripe.Entries.TryGetValue(pairKey, out entry))
            {
                // One lookup finds the key or makes its slot; a slot left empty (the claim failed) is removed again.
                ref LiveEntry? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(stripe.Entries, key, out bool exists);
                if (exists)
                {
                    entry = slot;
                }
                else
                {
                    try
                    {
                        ulong id = NewId();
                        if (decision.IsAllowed)
                        {
                            DataPathMode mode = FlowPlanner.ModeFor(packet.SourceHost, packet.DestinationHost!);
                            entry = Decided(id, packet, scope, HostsOf(packet), null);
                            state.AddConversation(NewRecord(id, mode, packet, scope));
                        }
                        else
                        {
                            denial = planner.PlanDenial(id, packet.Source, packet.Network, packet.DestinationAddress, scope);
                            entry = Decided(id, packet, scope, [packet.SourceHost.Name], DropOf(packet, scope));
                        }

                        slot = entry;
                        _pairOf.Set(id, key);
                        claimed = true;
                    }
                    catch (NotSupportedException e)
                    {
                        // Hosts on different segments: no data-path mode for them yet.
                        unplannable = e.Message;
                    }
                    finally
                    {
                        if (!claimed)
                        {
                            stripe.Entries.Remove(key);
                        }
                    }
                }
            }
        }

        if (unplannable is not null)
        {
            state.CountDrop(packet.SourceHost.Name, FirstPacketHandler.NoRoute, (ulong)packet.Data.Length);
            drops.Record(DropOf(packet, scope) with { Reason = FirstPacketHandler.NoRoute }, packet.SourceHost.Name, packet.Network.Tenant, 1);
            ControllerLog.FirstPacketDropped(logger, packet.SourceHost.Name, FirstPacketHandler.NoRoute, unplannable);
            return Task.CompletedTask;
        }

        if (entry!.Denial is RecentDropKey denied)
        {
            // The first packet of a denial, or one that raced its drop flow: dropped here, counted, never sent on.
            state.CountDrop(packet.SourceHost.Name, DropReasons.Denied, (ulong)packet.Data.Length);
            drops.Record(denied, packet.SourceHost.Name, packet.Network.Tenant, 1);
            return denial is null ? Task.CompletedTask : InstallDenialAsync(entry, denial, packet, cancellationToken);
        }

        if (!claimed)
        {
            state.UpdateConversation(entry.Id, c => c with { PacketIns = c.PacketIns + 1 });
            return SendOnWhenReadyAsync(entry, packet, cancellationToken);
        }

        // Returned, not awaited: the setup is the only state machine a first packet allocates.
        return SetUpAsync(entry, packet, scope, cancellationToken);
    }

    /// <summary>
    /// Every live conversation and denial (also those being set up) with the decision it was made with, for a
    /// policy change to ask the engine again; end the ones it no longer decides the same way with <see cref="EndAsync"/>.
    /// </summary>
    public IReadOnlyList<LiveDecision> LiveDecisions()
    {
        var decisions = new List<LiveDecision>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                decisions.AddRange(stripe.Entries.Values.Select(e => e.Decision));
            }
        }

        decisions.Sort((a, b) => a.Id.CompareTo(b.Id));
        return decisions;
    }

    /// <summary>
    /// A conversation flow left a switch: count an egress flow's traffic; a timeout ends the conversation. A
    /// denial's drop flow adds what it dropped to the denial's recent-drops entry, and its expiry ends the denial.
    /// </summary>
    public async Task OnFlowRemovedAsync(FlowRemoved removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (Cookies.KindOf(removed.Cookie) != FlowKind.Conversation)
        {
            return;
        }

        ulong id = Cookies.IdOf(removed.Cookie);
        if (TakeDenialDrop(id) is DenialDrop dropped)
        {
            if (removed.PacketCount > 0)
            {
                drops.Record(dropped.Key, dropped.Host, dropped.Tenant, removed.PacketCount);
            }

            Log.DenialEnded(logger, id, removed.Reason.ToString());
            return;
        }

        if (removed.TableId == Tables.Egress)
        {
            state.UpdateConversation(id, c => c with
            {
                Conversation = c.Conversation with
                {
                    Packets = c.Conversation.Packets + removed.PacketCount,
                    Bytes = c.Conversation.Bytes + removed.ByteCount,
                },
            });
        }

        if (removed.Reason is FlowRemovedReason.IdleTimeout or FlowRemovedReason.HardTimeout)
        {
            await EndAsync(id, "idle timeout", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends every active conversation and denial of <paramref name="endpoint"/>, deleting their flows on every switch that holds them.</summary>
    public async Task EndAllOfAsync(Endpoint endpoint, string why, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        foreach (ConversationRecord conversation in state.Conversations(ConversationState.Active))
        {
            if (conversation.Conversation.Source == endpoint.Name || conversation.Conversation.Destination == endpoint.Name)
            {
                await EndAsync(conversation.Id, why, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (LiveDecision denial in LiveDecisions().Where(d => d.Verdict == PolicyVerdict.Deny && (d.SourceEndpointId == endpoint.Id || d.DestinationEndpointId == endpoint.Id)))
        {
            await EndAsync(denial.Id, why, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a conversation or a denial: marks a conversation ended, forgets the decision, and deletes the flows by
    /// cookie on every switch that holds them; false if it was not active.
    /// </summary>
    public async Task<bool> EndAsync(ulong id, string why, CancellationToken cancellationToken)
    {
        if (EndDenial(id) is LiveDecision denial)
        {
            if (switches.ReadyFor(denial.Hosts[0]) is null)
            {
                // No switch to delete on, so no FLOW_REMOVED will come back (a reconnect deletes the stray flow).
                TakeDenialDrop(id);
            }

            await DeleteOnHostsAsync(Cookies.Of(FlowKind.Conversation, id), denial.Hosts, cancellationToken).ConfigureAwait(false);
            Log.DenialEnded(logger, id, why);
            return true;
        }

        ConversationRecord? ended = null;
        DateTimeOffset now = time.GetUtcNow();
        state.UpdateConversation(id, c =>
        {
            if (!c.IsActive)
            {
                return c;
            }

            ended = c with
            {
                Conversation = c.Conversation with
                {
                    State = ConversationState.Ended,
                    Ended = now,
                    DurationSeconds = (now - c.Conversation.Started).TotalSeconds,
                },
            };
            return ended;
        });
        if (ended is null)
        {
            return false;
        }

        Release(id);
        await DeleteOnHostsAsync(ended.Conversation.Cookie, [.. ended.Hosts], cancellationToken).ConfigureAwait(false);
        ControllerLog.ConversationEnded(logger, id, why, ended.Conversation.Packets, ended.Conversation.Bytes, ended.Conversation.DurationSeconds);
        return true;
    }

    private async Task SetUpAsync(LiveEntry entry, FirstPacket packet, TrafficScope scope, CancellationToken cancellationToken)
    {
        try
        {
            ConversationPlan plan = planner.PlanConversation(entry.Id, packet.Source, packet.SourceHost, packet.Destination, packet.DestinationHost!, packet.Network, scope);
            if (!plan.SameHost)
            {
                SwitchContext destination = switches.ReadyFor(packet.DestinationHost!.Name)
                    ?? throw new InvalidOperationException($"the switch of host {packet.DestinationHost.Name} is not connected");
                await SendWithBarrierAsync(destination, plan.DestinationSwitch, cancellationToken).ConfigureAwait(false);
            }

            await SendWithBarrierAsync(packet.SourceSwitch, plan.SourceSwitch, cancellationToken).ConfigureAwait(false);
            if (entry.Ended)
            {
                await DropEndedSetupAsync(entry, plan.Cookie).ConfigureAwait(false);
                return;
            }

            await SendOnAsync(packet, cancellationToken).ConfigureAwait(false);
            entry.Finish(ready: true);
            ControllerLog.ConversationStarted(logger, entry.Id, packet.Source.Name, packet.Destination.Name, plan.Mode, packet.SourceHost.Name, packet.DestinationHost!.Name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ControllerLog.ConversationSetupFailed(logger, entry.Id, packet.Source.Name, packet.Destination.Name, e);
            entry.Finish(ready: false);
            await EndAsync(entry.Id, "setup failed", CancellationToken.None).ConfigureAwait(false);
        }
    }

    // A packet that raced the setup of its conversation follows it once its flows are in.
    private async Task SendOnWhenReadyAsync(LiveEntry entry, FirstPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            if (await entry.WaitReadyAsync().WaitAsync(RacingPacketWait, cancellationToken).ConfigureAwait(false))
            {
                await SendOnAsync(packet, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ControllerLog.PacketInFailed(logger, packet.SourceSwitch.DatapathId, e);
        }
    }

    // The drop flow on the source switch; the first packet is not sent on. Until it is in, racing packets of the
    // key find the denial and are dropped by the controller.
    private async Task InstallDenialAsync(LiveEntry entry, FlowMod denial, FirstPacket packet, CancellationToken cancellationToken)
    {
        Log.Denied(logger, entry.Id, packet.Source.Name, packet.Destination.Name, entry.Denial!.Protocol, packet.Decision.ToString(), packet.SourceHost.Name);
        try
        {
            await SendWithBarrierAsync(packet.SourceSwitch, [denial], cancellationToken).ConfigureAwait(false);
            if (entry.Ended)
            {
                await DropEndedSetupAsync(entry, denial.Cookie).ConfigureAwait(false);
                return;
            }

            entry.Finish(ready: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.DenialSetupFailed(logger, entry.Id, packet.SourceHost.Name, e);
            entry.Finish(ready: false);
            await EndAsync(entry.Id, "setup failed", CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Ended (a policy change, an endpoint delete) while its flows were on the way: the end's delete may have reached
    // a switch before them, so it is sent again after their barriers, and the first packet is not sent on. An end
    // after this check deletes after the flows itself.
    private async Task DropEndedSetupAsync(LiveEntry entry, ulong cookie)
    {
        entry.Finish(ready: false);
        await DeleteOnHostsAsync(cookie, entry.Hosts, CancellationToken.None).ConfigureAwait(false);
        Log.EndedDuringSetup(logger, entry.Id, string.Join(", ", entry.Hosts));
    }

    // The hosts that hold a conversation's flows: one for a same-host pair. Every live conversation keeps its list,
    // so the lists are shared by host pair (bounded: past the bound the cache starts over).
    private ReadOnlyCollection<string> HostsOf(FirstPacket packet)
    {
        (string Source, string Destination) pair = (packet.SourceHost.Name, packet.DestinationHost!.Name);
        if (_hostLists.TryGetValue(pair, out ReadOnlyCollection<string>? hosts))
        {
            return hosts;
        }

        if (_hostLists.Count >= SharedCapacity)
        {
            _hostLists.Clear();
        }

        return _hostLists.GetOrAdd(pair, static p => Array.AsReadOnly<string>(p.Source == p.Destination ? [p.Source] : [p.Source, p.Destination]));
    }

    private ConversationRecord NewRecord(ulong id, DataPathMode mode, FirstPacket packet, TrafficScope scope) => new(
        new Conversation(
            id,
            Cookies.Of(FlowKind.Conversation, id),
            packet.Network.Tenant,
            packet.Source.Name,
            packet.Destination.Name,
            mode,
            ConversationState.Active,
            time.GetUtcNow(),
            null,
            0,
            0,
            0),
        packet.Network.Id,
        packet.SourceHost.Name,
        packet.DestinationHost!.Name,
        1)
    {
        Policy = PolicyOf(packet.Decision, scope),
    };

    // The policy records are shared by every conversation decided alike (records are immutable; each live conversation
    // keeps one), bounded like the host lists.
    private ConversationPolicy PolicyOf(PolicyDecision decision, TrafficScope scope)
    {
        PolicyKey key = (decision.Reason, decision.Granularity, decision.Rule?.Name, decision.Connection?.Name, scope);
        if (_policies.TryGetValue(key, out ConversationPolicy? policy))
        {
            return policy;
        }

        if (_policies.Count >= SharedCapacity)
        {
            _policies.Clear();
        }

        return _policies.GetOrAdd(key, static k => new ConversationPolicy(k.Reason, k.Granularity, k.Rule, k.Connection, k.Scope));
    }

    // The granularity recorded is the engine's; the protocol and port are the flows' (FirstPacket.Scope), so an IP-pair
    // allow narrowed because the reverse direction is not allowed as a whole is asked again at its own protocol and port.
    private static LiveEntry Decided(ulong id, FirstPacket packet, TrafficScope scope, IReadOnlyList<string> hosts, RecentDropKey? denial) => new(
        id,
        packet.Source.Id,
        packet.Destination.Id,
        scope,
        packet.Decision.Verdict,
        packet.Decision.Granularity,
        packet.Decision.Reason,
        packet.Decision.Rule?.Name,
        packet.Decision.Connection?.Name,
        hosts,
        denial,
        packet.Network.Tenant);

    // The recent-drops key of a denied first packet: the protocol and port are the packet's own, whatever the granularity.
    private static RecentDropKey DropOf(FirstPacket packet, TrafficScope scope) => new(
        packet.Source.Name,
        packet.Destination.Name,
        FirstPacketHandler.ProtocolOf(packet.IpProtocol, packet.DestinationPort),
        FirstPacketHandler.ReasonOf(packet.Decision.Reason),
        packet.Decision.Rule?.Name ?? packet.Decision.Connection?.Name);

    // Queues the flows and joins the switch's next barrier (shared with the other setups on that switch). Without
    // an await when the send queue has room, as it has unless the switch stops reading. The barrier is not
    // cancelled by the token: a closing session fails it, and a switch that does not answer, its timeout.
    private static Task SendWithBarrierAsync(SwitchContext context, IReadOnlyList<FlowMod> flows, CancellationToken cancellationToken)
    {
        for (int i = 0; i < flows.Count; i++)
        {
            ValueTask sent = context.Session.SendAsync(flows[i], cancellationToken);
            if (!sent.IsCompletedSuccessfully)
            {
                return SendRestWithBarrierAsync(context, flows, i, sent, cancellationToken);
            }
        }

        return context.Session.JoinBarrierAsync(CancellationToken.None);
    }

    private static async Task SendRestWithBarrierAsync(SwitchContext context, IReadOnlyList<FlowMod> flows, int waiting, ValueTask sending, CancellationToken cancellationToken)
    {
        await sending.ConfigureAwait(false);
        for (int i = waiting + 1; i < flows.Count; i++)
        {
            await context.Session.SendAsync(flows[i], cancellationToken).ConfigureAwait(false);
        }

        await context.Session.JoinBarrierAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // Back into table 0 from the port it came in on, so it follows the conversation's new flows.
    private static ValueTask SendOnAsync(FirstPacket packet, CancellationToken cancellationToken)
    {
        PacketOut packetOut = packet.BufferId == OfpConstants.NoBuffer
            ? new PacketOut(OfpConstants.NoBuffer, packet.InPort, ToTable, packet.Data)
            : new PacketOut(packet.BufferId, packet.InPort, ToTable, ReadOnlyMemory<byte>.Empty);
        return packet.SourceSwitch.Session.SendAsync(packetOut, cancellationToken);
    }

    // The next first packet of the key starts a new conversation.
    private void Release(ulong id)
    {
        if (!_pairOf.TryGetValue(id, out ConversationKey key))
        {
            return;
        }

        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            if (_pairOf.TryRemove(id, key) && stripe.Entries.Remove(key, out LiveEntry? entry))
            {
                entry.Ended = true;
            }
        }
    }

    // Forgets a live denial (null when the id is none); its drop flow's FLOW_REMOVED is still awaited for the count.
    private LiveDecision? EndDenial(ulong id)
    {
        if (!_pairOf.TryGetValue(id, out ConversationKey key))
        {
            return null;
        }

        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            if (!stripe.Entries.TryGetValue(key, out LiveEntry? entry) || entry.Id != id || entry.Denial is not RecentDropKey dropKey)
            {
                return null;
            }

            _pairOf.TryRemove(id, out _);
            stripe.Entries.Remove(key);
            entry.Ended = true;
            _expiringDenials[id] = new DenialDrop(dropKey, entry.Hosts[0], entry.Tenant);
            return entry.Decision;
        }
    }

    // The denial whose drop flow left its switch: a live one ends here (it expired), an ended one stops waiting.
    private DenialDrop? TakeDenialDrop(ulong id)
    {
        if (_expiringDenials.TryRemove(id, out DenialDrop? expiring))
        {
            return expiring;
        }

        if (!_pairOf.TryGetValue(id, out ConversationKey key))
        {
            return null;
        }

        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            // Ended meanwhile: EndDenial queued it under this lock.
            if (_expiringDenials.TryRemove(id, out expiring))
            {
                return expiring;
            }

            if (stripe.Entries.TryGetValue(key, out LiveEntry? entry) && entry.Id == id && entry.Denial is RecentDropKey dropKey)
            {
                _pairOf.TryRemove(id, out _);
                stripe.Entries.Remove(key);
                entry.Ended = true;
                return new DenialDrop(dropKey, entry.Hosts[0], entry.Tenant);
            }

            return null;
        }
    }

    // The live entry of an id (a snapshot: it may end right after), or null.
    private LiveEntry? FindLive(ulong id)
    {
        if (!_pairOf.TryGetValue(id, out ConversationKey key))
        {
            return null;
        }

        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            return stripe.Entries.TryGetValue(key, out LiveEntry? entry) && entry.Id == id ? entry : null;
        }
    }

    private Stripe StripeOf(ConversationKey key) => _stripes[key.Stripe & (StripeCount - 1)];

    // The state's next id, skipping any a switch still carries in a cookie: an adopted conversation's (live) and
    // a retired one's (its flows may still be on a switch that has not connected yet). Called under a stripe lock.
    // An id above every adopted and retired one is free without a look (the state hands ids out in ascending order).
    private ulong NewId()
    {
        while (true)
        {
            ulong id = state.NextConversationId();
            if (id > Volatile.Read(ref _highestForeignId)
                || (!_retired.ContainsKey(id) && state.FindConversation(id) is null && !_pairOf.ContainsKey(id)))
            {
                return id;
            }
        }
    }

    /// <summary>
    /// What makes two first packets one conversation: an allowed IP pair in either order (A→B and B→A are one
    /// conversation); otherwise one direction with the protocol and port its flows match.
    /// </summary>
    private readonly record struct ConversationKey(uint NetworkId, uint First, uint Second, byte IpProtocol, ushort Port, bool IsDirected)
    {
        public static ConversationKey Pair(uint networkId, Ipv4Address a, Ipv4Address b) =>
            new(networkId, Math.Min(a.Value, b.Value), Math.Max(a.Value, b.Value), 0, 0, false);

        public static ConversationKey Directed(uint networkId, Ipv4Address source, Ipv4Address destination, TrafficScope scope) =>
            new(networkId, source.Value, destination.Value, scope.IpProtocol, scope.DestinationPort, true);

        /// <summary>The same for every key of one endpoint pair, whatever its direction or scope.</summary>
        public int Stripe => HashCode.Combine(NetworkId, Math.Min(First, Second), Math.Max(First, Second));
    }

    // A live conversation or denial: its decision (one object, not an entry and a LiveDecision: every live
    // conversation keeps one), its setup's outcome, and whether it has ended.
    /// <param name="denial">The recent-drops key of a denial; null for a conversation.</param>
    private sealed class LiveEntry(
        ulong id,
        uint sourceEndpointId,
        uint destinationEndpointId,
        TrafficScope scope,
        PolicyVerdict verdict,
        PolicyGranularity granularity,
        DecisionReason reason,
        string? rule,
        string? connection,
        IReadOnlyList<string> hosts,
        RecentDropKey? denial,
        string tenant)
    {
        public ulong Id { get; } = id;

        public IReadOnlyList<string> Hosts { get; } = hosts;

        public RecentDropKey? Denial { get; } = denial;

        public string Tenant { get; } = tenant;

        /// <summary>What it was decided with, and whether it is installed now.</summary>
        public LiveDecision Decision => new(
            Id, sourceEndpointId, destinationEndpointId, scope.IpProtocol, scope.DestinationPort, verdict, granularity, reason, rule, connection, Hosts, IsReady);

        // How its setup ended: 0 while it runs, then Succeeded or Failed. Most setups have nobody waiting, so a
        // waiter's completion source is made only when a racing packet waits (every live conversation keeps its entry).
        private const int Succeeded = 1;
        private const int Failed = 2;
        private int _outcome;
        private TaskCompletionSource<bool>? _waiters;

        /// <summary>The flows are in (and a conversation's first packet was sent on).</summary>
        public bool IsReady => Volatile.Read(ref _outcome) == Succeeded;

        /// <summary>The first call counts: true once the flows are in, false if the setup failed.</summary>
        public void Finish(bool ready)
        {
            if (Interlocked.CompareExchange(ref _outcome, ready ? Succeeded : Failed, 0) == 0)
            {
                Volatile.Read(ref _waiters)?.TrySetResult(ready);
            }
        }

        /// <summary>Completes with <see cref="Finish"/>'s result.</summary>
        public Task<bool> WaitReadyAsync()
        {
            int outcome = Volatile.Read(ref _outcome);
            if (outcome != 0)
            {
                return Task.FromResult(outcome == Succeeded);
            }

            TaskCompletionSource<bool> waiters = Interlocked.CompareExchange(ref _waiters, new(TaskCreationOptions.RunContinuationsAsynchronously), null) ?? _waiters!;

            // Finished meanwhile: Finish may have looked for waiters before they were there.
            outcome = Volatile.Read(ref _outcome);
            if (outcome != 0)
            {
                waiters.TrySetResult(outcome == Succeeded);
            }

            return waiters.Task;
        }

        private volatile bool _ended;

        /// <summary>Set under its stripe's lock when the entry is forgotten; a setup still under way then undoes its flows.</summary>
        public bool Ended
        {
            get => _ended;
            set => _ended = value;
        }
    }

    private sealed class Stripe
    {
        public Lock Lock { get; } = new();

        public Dictionary<ConversationKey, LiveEntry> Entries { get; } = [];
    }

    private sealed record DenialDrop(RecentDropKey Key, string Host, string Tenant);
}

/// <summary>A first packet resolved to its endpoints and decided by the policy engine: everything a setup needs.</summary>
/// <param name="BufferId">OFP_NO_BUFFER when <paramref name="Data"/> is the whole packet (the pipeline asks for no buffering).</param>
/// <param name="Network">The source's network: the drop flow of a denial matches it.</param>
/// <param name="Destination">The destination endpoint; for a denial it may be in another network of the tenant.</param>
/// <param name="DestinationHost">The destination's host; set for an allowed packet, null allowed for a denial.</param>
/// <param name="DestinationAddress">The packet's IPv4 destination.</param>
/// <param name="IpProtocol">The packet's IP protocol.</param>
/// <param name="DestinationPort">The TCP or UDP destination port; 0 for other protocols.</param>
/// <param name="Scope">
/// What its flows match: the IP pair, or the packet's protocol and port when the decision is protocol + port
/// granular, or when the reverse direction would not be allowed as a whole (the reverse flows of an IP-pair
/// conversation would carry everything the destination sends back, also what it may not start itself).
/// </param>
public sealed record FirstPacket(
    SwitchContext SourceSwitch,
    uint InPort,
    uint BufferId,
    ReadOnlyMemory<byte> Data,
    Network Network,
    Endpoint Source,
    Host SourceHost,
    Endpoint Destination,
    Host? DestinationHost,
    Ipv4Address DestinationAddress,
    byte IpProtocol,
    ushort DestinationPort,
    PolicyDecision Decision,
    TrafficScope Scope);
