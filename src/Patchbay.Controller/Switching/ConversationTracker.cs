// The life of a conversation on the switches: set up once per endpoint pair (concurrent first packets of
// the same pair, in either direction, share one setup), destination switch first, then the source, each
// with a barrier, then the first packet sent on; ended when its first flow idles out (the rest are
// deleted by cookie on both switches so no half-conversation stays) or when an endpoint goes away. After a
// controller restart the conversations whose flows are still right on the switches are adopted (same id and
// cookie), so live traffic is not disturbed (docs/restart.md).
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Controller.Switching;

public sealed partial class ConversationTracker(IControllerState state, SwitchRegistry switches, FlowPlanner planner, TimeProvider time, ILogger<ConversationTracker> logger)
{
    /// <summary>How long a first packet that raced another one of its pair waits for that setup.</summary>
    private static readonly TimeSpan RacingPacketWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<PairKey, PairEntry> _pairs = [];
    private readonly Dictionary<ulong, PairKey> _pairOf = [];

    // Ids found in switches' cookies that were not adopted: their flows are deleted, and the id is never
    // handed out or adopted again in this process, so a switch that connects later cannot revive them.
    private readonly HashSet<ulong> _retired = [];

    /// <summary>
    /// Handles the first packet of a pair: sets the conversation up unless one exists or is being set up
    /// for the pair, then sends the packet on through the new flows from the port it came in on.
    /// </summary>
    public async Task HandleFirstPacketAsync(FirstPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var key = PairKey.Of(packet.Network, packet.Source, packet.Destination);
        PairEntry? entry;
        ConversationPlan? plan = null;
        string? unplannable = null;

        // Claim, plan and record under one lock, so a racing packet of the pair always finds the record.
        lock (_lock)
        {
            if (!_pairs.TryGetValue(key, out entry))
            {
                ulong id = NewId();
                try
                {
                    plan = planner.PlanConversation(id, packet.Source, packet.SourceHost, packet.Destination, packet.DestinationHost, packet.Network);
                    entry = new PairEntry(id);
                    _pairs[key] = entry;
                    _pairOf[id] = key;
                    state.AddConversation(NewRecord(id, plan, packet));
                }
                catch (NotSupportedException e)
                {
                    // Hosts on different segments: no data-path mode for them yet.
                    unplannable = e.Message;
                }
            }
        }

        if (unplannable is not null)
        {
            state.CountDrop(packet.SourceHost.Name, FirstPacketHandler.NoRoute, (ulong)packet.Data.Length);
            ControllerLog.FirstPacketDropped(logger, packet.SourceHost.Name, FirstPacketHandler.NoRoute, unplannable);
            return;
        }

        if (plan is null)
        {
            state.UpdateConversation(entry!.Id, c => c with { PacketIns = c.PacketIns + 1 });
            bool ready = await entry.Ready.Task.WaitAsync(RacingPacketWait, cancellationToken).ConfigureAwait(false);
            if (ready)
            {
                await SendOnAsync(packet, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await SetUpAsync(entry!, plan, packet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A conversation flow left a switch: count an egress flow's traffic; a timeout ends the conversation.</summary>
    public async Task OnFlowRemovedAsync(FlowRemoved removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removed);
        if (Cookies.KindOf(removed.Cookie) != FlowKind.Conversation)
        {
            return;
        }

        ulong id = Cookies.IdOf(removed.Cookie);
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

    /// <summary>Ends every active conversation of <paramref name="endpoint"/>, deleting its flows on both switches.</summary>
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
    }

    /// <summary>Marks the conversation ended and deletes its flows by cookie on every switch that holds them; false if it was not active.</summary>
    public async Task<bool> EndAsync(ulong id, string why, CancellationToken cancellationToken)
    {
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
        FlowMod delete = planner.DeleteConversation(ended.Conversation.Cookie);
        foreach (string host in ended.Hosts)
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
                ControllerLog.ConversationDeleteFailed(logger, id, host, e);
            }
        }

        ControllerLog.ConversationEnded(logger, id, why, ended.Conversation.Packets, ended.Conversation.Bytes, ended.Conversation.DurationSeconds);
        return true;
    }

    private async Task SetUpAsync(PairEntry entry, ConversationPlan plan, FirstPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            if (!plan.SameHost)
            {
                SwitchContext destination = switches.ReadyFor(packet.DestinationHost.Name)
                    ?? throw new InvalidOperationException($"the switch of host {packet.DestinationHost.Name} is not connected");
                await SendWithBarrierAsync(destination, plan.DestinationSwitch, cancellationToken).ConfigureAwait(false);
            }

            await SendWithBarrierAsync(packet.SourceSwitch, plan.SourceSwitch, cancellationToken).ConfigureAwait(false);
            await SendOnAsync(packet, cancellationToken).ConfigureAwait(false);
            entry.Ready.TrySetResult(true);
            ControllerLog.ConversationStarted(
                logger,
                entry.Id,
                packet.Source.Name,
                packet.Destination.Name,
                plan.Mode.ToString(),
                plan.SameHost ? packet.SourceHost.Name : $"{packet.SourceHost.Name} <-> {packet.DestinationHost.Name}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ControllerLog.ConversationSetupFailed(logger, entry.Id, packet.Source.Name, packet.Destination.Name, e);
            entry.Ready.TrySetResult(false);
            await EndAsync(entry.Id, "setup failed", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private ConversationRecord NewRecord(ulong id, ConversationPlan plan, FirstPacket packet) => new(
        new Conversation(
            id,
            plan.Cookie,
            packet.Network.Tenant,
            packet.Source.Name,
            packet.Destination.Name,
            plan.Mode,
            ConversationState.Active,
            time.GetUtcNow(),
            null,
            0,
            0,
            0),
        packet.Network.Id,
        packet.SourceHost.Name,
        packet.DestinationHost.Name,
        1);

    private static async Task SendWithBarrierAsync(SwitchContext context, IReadOnlyList<FlowMod> flows, CancellationToken cancellationToken)
    {
        foreach (FlowMod flow in flows)
        {
            await context.Session.SendAsync(flow, cancellationToken).ConfigureAwait(false);
        }

        await context.Session.BarrierAsync(cancellationToken).ConfigureAwait(false);
    }

    // Back into table 0 from the port it came in on, so it follows the conversation's new flows.
    private static ValueTask SendOnAsync(FirstPacket packet, CancellationToken cancellationToken)
    {
        PacketOut packetOut = packet.BufferId == OfpConstants.NoBuffer
            ? new PacketOut(OfpConstants.NoBuffer, packet.InPort, [new OutputAction(OfpPortNo.Table)], packet.Data)
            : new PacketOut(packet.BufferId, packet.InPort, [new OutputAction(OfpPortNo.Table)], ReadOnlyMemory<byte>.Empty);
        return packet.SourceSwitch.Session.SendAsync(packetOut, cancellationToken);
    }

    // The next first packet of the pair starts a new conversation.
    private void Release(ulong id)
    {
        lock (_lock)
        {
            if (_pairOf.Remove(id, out PairKey key))
            {
                _pairs.Remove(key);
            }
        }
    }

    // The state's next id, skipping any a switch still carries in a cookie: an adopted conversation's (live) and
    // a retired one's (its flows may still be on a switch that has not connected yet). Called under _lock.
    private ulong NewId()
    {
        while (true)
        {
            ulong id = state.NextConversationId();
            if (!_retired.Contains(id) && state.FindConversation(id) is null)
            {
                return id;
            }
        }
    }

    /// <summary>A conversation's endpoints in either order: A→B and B→A are one conversation.</summary>
    private readonly record struct PairKey(uint NetworkId, uint Low, uint High)
    {
        public static PairKey Of(Network network, Endpoint a, Endpoint b) =>
            new(network.Id, Math.Min(a.Ip.Value, b.Ip.Value), Math.Max(a.Ip.Value, b.Ip.Value));
    }

    private sealed class PairEntry(ulong id)
    {
        public ulong Id { get; } = id;

        /// <summary>True once the flows are in and the first packet was sent on; false if the setup failed.</summary>
        public TaskCompletionSource<bool> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A first packet resolved to its endpoints: everything a conversation setup needs.</summary>
/// <param name="BufferId">OFP_NO_BUFFER when <paramref name="Data"/> is the whole packet (the pipeline asks for no buffering).</param>
public sealed record FirstPacket(
    SwitchContext SourceSwitch,
    uint InPort,
    uint BufferId,
    ReadOnlyMemory<byte> Data,
    Network Network,
    Endpoint Source,
    Host SourceHost,
    Endpoint Destination,
    Host DestinationHost);
