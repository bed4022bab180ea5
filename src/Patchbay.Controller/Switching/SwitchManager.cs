// The controller's side of every switch (IOpenFlowHandler): on connect, the switch is matched to its
// registered host (or waits for the registration) and gets its pipeline: switch config, then meters and flows
// reconciled against what it already holds, with barriers, adopting the conversations still right on it.
// Endpoint plug and unplug change one endpoint's flows; PACKET_IN and FLOW_REMOVED go to the first-packet
// handler and the tracker, a PACKET_IN only within its host's budget (PacketInBudget).
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Controller.Switching;

public sealed class SwitchManager(
    IControllerState state,
    SwitchRegistry switches,
    FlowPlanner planner,
    FirstPacketHandler firstPackets,
    ConversationTracker conversations,
    PacketInBudget packetInBudget,
    ILogger<SwitchManager> logger) : IOpenFlowHandler
{
    /// <summary>A PACKET_IN over its host's budget (PacketInBudget), discarded before it was looked at.</summary>
    public const string PacketInBudgetDrop = "packet-in-budget";

    /// <summary>A PACKET_IN the switch's session discarded because the handler lagged a full queue behind.</summary>
    public const string PacketInQueueDrop = "packet-in-queue";

    public async ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var context = new SwitchContext(session, session.DatapathId!.Value);
        switches.Add(context);
        if (state.FindHostByDatapath(context.DatapathId) is not Host host)
        {
            ControllerLog.SwitchWaitingForHost(logger, context.DatapathId, session.RemoteAddress);
            return;
        }

        await ConfigureAsync(context, host, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.DatapathId is not ulong datapathId || switches.ByDatapath(datapathId) is not SwitchContext context || context.Session != session)
        {
            return;
        }

        switch (message)
        {
            case PacketIn packetIn when !packetInBudget.TryTake(datapathId, packetIn.InPort ?? 0, out long toReport):
                string budgetHost = context.ConfiguredHost ?? $"{datapathId:x16}";
                state.CountDrop(budgetHost, PacketInBudgetDrop, (ulong)packetIn.Data.Length);
                if (toReport > 0)
                {
                    ControllerLog.PacketInBudgetExceeded(logger, budgetHost, toReport, packetInBudget.Options.RatePps, packetInBudget.Options.Burst);
                }

                break;
            case PacketIn packetIn:
                await firstPackets.OnPacketInAsync(context, packetIn, cancellationToken).ConfigureAwait(false);
                break;
            case FlowRemoved removed:
                await conversations.OnFlowRemovedAsync(removed, cancellationToken).ConfigureAwait(false);
                break;
            case ErrorMsg error:
                ControllerLog.SwitchError(logger, datapathId, error.ErrorType, error.Code, error.Xid);
                break;
            default:
                ControllerLog.MessageIgnored(logger, datapathId, message.Type);
                break;
        }
    }

    public void OnPacketInDiscarded(SwitchSession session, PacketIn packetIn)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(packetIn);
        if (session.DatapathId is ulong datapathId)
        {
            string host = switches.ByDatapath(datapathId)?.ConfiguredHost ?? $"{datapathId:x16}";
            state.CountDrop(host, PacketInQueueDrop, (ulong)packetIn.Data.Length);
        }
    }

    public async ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.DatapathId is ulong datapathId && switches.Remove(session, datapathId) is SwitchContext context)
        {
            packetInBudget.Forget(datapathId);
            if (context.ConfiguredHost is string host)
            {
                await state.SetHostStateAsync(host, HostState.Registered, CancellationToken.None).ConfigureAwait(false);
            }

            ControllerLog.SwitchDisconnected(logger, datapathId, closed?.ToString() ?? "closed");
        }
    }

    /// <summary>
    /// A host registered or re-registered: if its switch is connected, (re)install its pipeline, unless the
    /// switch already carries it and nothing about the host changed.
    /// </summary>
    public async Task HostRegisteredAsync(Host host, bool changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (switches.ByDatapath(host.DatapathId) is not SwitchContext context || (context.IsReady && context.ConfiguredHost == host.Name && !changed))
        {
            return;
        }

        await ConfigureAsync(context, host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The agent reported the endpoint's port: install its meter and flows if its host's switch is ready.</summary>
    public async Task EndpointPortChangedAsync(Endpoint before, Endpoint after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (switches.ReadyFor(after.Host) is not SwitchContext context || state.FindHost(after.Host) is not Host host
            || state.FindNetwork(after.Network) is not Network network || after.OfPort is not uint port)
        {
            return;
        }

        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SwitchSession session = context.Session;
            if (before.OfPort is not null && before.OfPort != after.OfPort)
            {
                await session.SendAsync(planner.DeleteEndpointFlows(before), cancellationToken).ConfigureAwait(false);
                await session.SendAsync(planner.EndpointMeter(before, MeterModCommand.Delete), cancellationToken).ConfigureAwait(false);
            }

            // Delete, then add: the meter may exist already (a repeated report), and ADD of an existing meter fails.
            await session.SendAsync(planner.EndpointMeter(after, MeterModCommand.Delete), cancellationToken).ConfigureAwait(false);
            await session.SendAsync(planner.EndpointMeter(after, MeterModCommand.Add), cancellationToken).ConfigureAwait(false);
            foreach (FlowMod flow in planner.EndpointFlows(host, after, network))
            {
                await session.SendAsync(flow, cancellationToken).ConfigureAwait(false);
            }

            await session.BarrierAsync(cancellationToken).ConfigureAwait(false);
            ControllerLog.EndpointInstalled(logger, after.Name, after.Host, port);
        }
        catch (Exception e) when (e is SwitchSessionClosedException or TimeoutException or OpenFlowErrorException)
        {
            ControllerLog.EndpointFlowsFailed(logger, after.Name, after.Host, e);
        }
        finally
        {
            context.Gate.Release();
        }
    }

    /// <summary>The endpoint was deleted: end its conversations on both switches, then remove its flows and meter.</summary>
    public async Task EndpointDeletedAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        await conversations.EndAllOfAsync(endpoint, $"endpoint {endpoint.Name} deleted", cancellationToken).ConfigureAwait(false);
        if (endpoint.OfPort is null || switches.ReadyFor(endpoint.Host) is not SwitchContext context)
        {
            return;
        }

        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await context.Session.SendAsync(planner.DeleteEndpointFlows(endpoint), cancellationToken).ConfigureAwait(false);
            await context.Session.SendAsync(planner.EndpointMeter(endpoint, MeterModCommand.Delete), cancellationToken).ConfigureAwait(false);
            await context.Session.BarrierAsync(cancellationToken).ConfigureAwait(false);
            ControllerLog.EndpointRemoved(logger, endpoint.Name, endpoint.Host);
        }
        catch (Exception e) when (e is SwitchSessionClosedException or TimeoutException or OpenFlowErrorException)
        {
            ControllerLog.EndpointFlowsFailed(logger, endpoint.Name, endpoint.Host, e);
        }
        finally
        {
            context.Gate.Release();
        }
    }

    /// <summary>
    /// The drops of every host: the switches' drop-flow counters (port security, table misses), read now
    /// with FLOW stats by cookie, plus what the controller refused itself.
    /// </summary>
    public async Task<IReadOnlyList<DropCount>> ReadDropsAsync(CancellationToken cancellationToken)
    {
        var totals = new Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)>();
        foreach (SwitchContext context in switches.All)
        {
            if (!context.IsReady || context.ConfiguredHost is not string host)
            {
                continue;
            }

            try
            {
                IReadOnlyList<FlowStats> pipeline = await ReadFlowsAsync(context.Session, new FlowStatsRequest { Cookie = Cookies.Of(FlowKind.Pipeline, 0), CookieMask = Cookies.KindMask }, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<FlowStats> guards = await ReadFlowsAsync(context.Session, new FlowStatsRequest { TableId = Tables.Classify, Cookie = Cookies.Of(FlowKind.Endpoint, 0), CookieMask = Cookies.KindMask }, cancellationToken).ConfigureAwait(false);
                foreach (FlowStats flow in pipeline.Concat(guards))
                {
                    if (DropReasons.Of(flow) is string reason)
                    {
                        Add(totals, host, reason, flow.PacketCount, flow.ByteCount);
                    }
                }
            }
            catch (Exception e) when (e is SwitchSessionClosedException or TimeoutException or OpenFlowErrorException)
            {
                ControllerLog.DropReadFailed(logger, host, e);
            }
        }

        foreach (DropCount drop in state.ControllerDrops())
        {
            Add(totals, drop.Host, drop.Reason, drop.Packets, drop.Bytes);
        }

        return [.. totals
            .Select(t => new DropCount(t.Key.Host, t.Key.Reason, t.Value.Packets, t.Value.Bytes))
            .OrderBy(d => d.Host, StringComparer.Ordinal)
            .ThenBy(d => d.Reason, StringComparer.Ordinal)];
    }

    // The reconnect resync (docs/restart.md): meters and flows are reconciled against what the switch holds, so
    // what is right stays untouched (counters, live traffic); conversation flows that are still right are adopted.
    // Order: meter adds and modifies, barrier, flow deletes, barrier, meter deletes, flow adds, barrier (a flow
    // naming a missing meter is refused; deleting a meter deletes the flows that use it).
    private async Task ConfigureAsync(SwitchContext context, Host host, CancellationToken cancellationToken)
    {
        SwitchConversations? live = null;
        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            context.ConfiguredHost = null;
            SwitchSession session = context.Session;
            List<(Endpoint Endpoint, Network Network)> local = [.. state.Endpoints(host: host.Name)
                .Select(e => (Endpoint: e, Network: state.FindNetwork(e.Network)))
                .Where(p => p.Network is not null)
                .Select(p => (p.Endpoint, p.Network!))];

            // Whole packets to the controller: the first packet is sent on from the controller's copy.
            await session.SendAsync(new SetConfig(ConfigFlags.FragNormal, OfpControllerMaxLen.NoBuffer), cancellationToken).ConfigureAwait(false);

            IReadOnlyList<MeterMod> desiredMeters = planner.DesiredMeters(local.Select(p => p.Endpoint));
            MeterPlan meters = MeterReconciler.Diff(desiredMeters, await ReadMetersAsync(session, cancellationToken).ConfigureAwait(false));
            foreach (MeterMod meter in meters.Adds.Concat(meters.Modifies))
            {
                await session.SendAsync(meter, cancellationToken).ConfigureAwait(false);
            }

            await session.BarrierAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<FlowStats> installed = await ReadFlowsAsync(session, new FlowStatsRequest(), cancellationToken).ConfigureAwait(false);
            live = conversations.PlanForSwitch(host, installed);
            ReconcilePlan plan = FlowReconciler.Diff([.. planner.DesiredStaticFlows(host, local), .. live.Desired], installed, live.KeepCookies.Contains);
            foreach (FlowMod delete in plan.Deletes)
            {
                await session.SendAsync(delete, cancellationToken).ConfigureAwait(false);
            }

            await session.BarrierAsync(cancellationToken).ConfigureAwait(false);
            foreach (MeterMod meter in meters.Deletes)
            {
                await session.SendAsync(meter, cancellationToken).ConfigureAwait(false);
            }

            foreach (FlowMod add in plan.Adds)
            {
                await session.SendAsync(add, cancellationToken).ConfigureAwait(false);
            }

            await session.BarrierAsync(cancellationToken).ConfigureAwait(false);
            context.ConfiguredHost = host.Name;
            await state.SetHostStateAsync(host.Name, HostState.Connected, cancellationToken).ConfigureAwait(false);
            ControllerSwitchingLog.MetersReconciled(logger, context.DatapathId, host.Name, meters.Adds.Count, meters.Modifies.Count, meters.Deletes.Count, desiredMeters.Count - meters.Adds.Count - meters.Modifies.Count);
            ControllerLog.SwitchConfigured(logger, context.DatapathId, host.Name, desiredMeters.Count, plan.Deletes.Count, plan.Adds.Count, plan.Unchanged);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // The switch stays unconfigured (no first packets are handled for it); its next connect retries.
            ControllerLog.SwitchConfigureFailed(logger, context.DatapathId, host.Name, e);
            live = null;
        }
        finally
        {
            context.Gate.Release();
        }

        // The other switches of retired and unplannable conversations, outside this switch's gate.
        if (live is not null)
        {
            foreach ((ulong cookie, IReadOnlyList<string> hosts) in live.DeleteElsewhere)
            {
                await conversations.DeleteOnHostsAsync(cookie, hosts, cancellationToken).ConfigureAwait(false);
            }

            foreach (ulong id in live.End)
            {
                await conversations.EndAsync(id, $"it can no longer be planned on host {host.Name}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<IReadOnlyList<MeterConfig>> ReadMetersAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        IReadOnlyList<MultipartReply> parts = await session.MultipartAsync(new MeterConfigRequest(), cancellationToken).ConfigureAwait(false);
        return ((MeterConfigReply)MultipartReply.Combine(parts)).Entries;
    }

    private static async Task<IReadOnlyList<FlowStats>> ReadFlowsAsync(SwitchSession session, FlowStatsRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<MultipartReply> parts = await session.MultipartAsync(request, cancellationToken).ConfigureAwait(false);
        return ((FlowStatsReply)MultipartReply.Combine(parts)).Entries;
    }

    private static void Add(Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)> totals, string host, string reason, ulong packets, ulong bytes)
    {
        (ulong p, ulong b) = totals.GetValueOrDefault((host, reason));
        totals[(host, reason)] = (p + packets, b + bytes);
    }
}
