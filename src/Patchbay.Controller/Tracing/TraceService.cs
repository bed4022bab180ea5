// `patchbay trace` (docs/trace.md): why can (not) A reach B. Resolves both ends, asks the policy, then runs the
// packet A would send through the flow tables its switches hold right now (read with FLOW stats, loaded into the
// SwitchModel the unit tests use), from A's port out of the uplink into the destination host's uplink, recording
// every flow matched with its live counters, the header rewrites and where the packet left. A first packet that
// the source switch sends to the controller is followed on through what the controller would install (the
// conversation's flows for an allow, the denial's drop flow for a deny), marked planned. Nothing is sent to a
// switch: the trace only reads.
using System.Globalization;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tracing;

/// <summary>A trace request, parsed: the source endpoint's name, the destination's name or address, the protocol and port.</summary>
/// <param name="Protocol">An <see cref="IpProtocol"/> value: ICMP (an echo request), TCP (a SYN) or UDP.</param>
public sealed record TraceRequest(string Source, string Destination, byte Protocol, ushort? Port);

public sealed class TraceService(IControllerState state, IPolicyState policy, SwitchRegistry switches, FlowPlanner planner, ILogger<TraceService> logger)
{
    /// <summary>The source port of a traced TCP or UDP packet (any ephemeral port gives the same path).</summary>
    public const ushort SourcePort = 40000;

    /// <summary>The conversation id of planned flows; real ids start at 1.</summary>
    private const ulong PlannedConversationId = 0;

    /// <summary>How many switches a packet may visit before the trace stops (a loop would be a pipeline bug).</summary>
    private const int MaxHops = 4;

    /// <exception cref="ControllerStateException">NotFound for an unknown source, or a destination that is neither an endpoint nor an address.</exception>
    public async Task<TraceView> TraceAsync(TraceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Endpoint source = state.FindEndpoint(request.Source) ?? throw ControllerStateException.NotFound("endpoint", request.Source);
        Network network = state.FindNetwork(source.Network) ?? throw ControllerStateException.NotFound("network", source.Network);
        (Endpoint? destination, Ipv4Address address) = ResolveDestination(source, network, request.Destination);
        // One engine for the whole trace, as the first-packet path uses one per packet.
        var trace = new Trace(request, source, network, destination, address, new TraceNames(state), policy.CurrentPolicy);
        trace.Decision = destination is null ? null : trace.Engine.Decide(source, destination, request.Protocol, request.Port ?? 0);
        trace.Frame = BuildFrame(request, source, network, destination, address);

        Host? sourceHost = state.FindHost(source.Host);
        if (sourceHost is null || source.OfPort is not uint inPort)
        {
            trace.Finish(Result("dropped", $"{source.Name} is not plugged into its host's switch yet (no OpenFlow port)", planned: false, host: source.Host));
            return trace.View();
        }

        TracedSwitch? first = await ReadSwitchAsync(trace, sourceHost, inPort, cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return trace.View();
        }

        PipelineResult result = first.Model.Evaluate(inPort, trace.Frame);
        if (result.ToController is [{ TableId: Tables.Egress } toController, ..] && result.Forwarded.Count == 0)
        {
            trace.AddHop(first, "installed", inPort, trace.Frame, result, "controller", reason: "first packet to controller: no conversation flow on this switch yet");
            await FollowPlanAsync(trace, first, sourceHost, inPort, toController, cancellationToken).ConfigureAwait(false);
            return trace.View();
        }

        await FollowAsync(trace, first, inPort, trace.Frame, result, "installed", cancellationToken).ConfigureAwait(false);
        return trace.View();
    }

    /// <summary>By endpoint name; else by address in the source's network, then in the tenant's other networks.</summary>
    private (Endpoint? Endpoint, Ipv4Address Address) ResolveDestination(Endpoint source, Network network, string destination)
    {
        if (state.FindEndpoint(destination) is { } named)
        {
            return (named, named.Ip);
        }

        if (!Ipv4Address.TryParse(destination, CultureInfo.InvariantCulture, out Ipv4Address address))
        {
            throw ControllerStateException.NotFound("endpoint", destination);
        }

        Endpoint? found = state.FindEndpointByIp(network.Name, address)
            ?? state.Networks().Where(n => n.Tenant == source.Tenant && n.Id != network.Id).Select(n => state.FindEndpointByIp(n.Name, address)).FirstOrDefault(e => e is not null);
        return (found, address);
    }

    /// <summary>
    /// The frame the source sends: its MAC and IP, and the MAC the controller answers its ARP with (the destination's
    /// in its own network, the gateway's for any other address).
    /// </summary>
    private static byte[] BuildFrame(TraceRequest request, Endpoint source, Network network, Endpoint? destination, Ipv4Address address)
    {
        MacAddress destinationMac = destination is not null && destination.Network == source.Network ? destination.Mac : network.GatewayMac;
        var addresses = new FrameAddresses(source.Mac, destinationMac, source.Ip, address);
        return request.Protocol switch
        {
            IpProtocol.Tcp => FrameBuilder.Tcp(addresses, SourcePort, request.Port ?? 0, TcpFlags.Syn),
            IpProtocol.Udp => FrameBuilder.Udp(addresses, SourcePort, request.Port ?? 0, []),
            _ => FrameBuilder.IcmpEcho(addresses, 1, 1, new byte[56]),
        };
    }

    /// <summary>The host's switch, read now; null (and the trace finished) when it is not connected or does not answer.</summary>
    private async Task<TracedSwitch?> ReadSwitchAsync(Trace trace, Host host, uint inPort, CancellationToken cancellationToken)
    {
        if (switches.ReadyFor(host.Name) is not SwitchContext context)
        {
            trace.AddDisconnectedHop(host, inPort);
            trace.Finish(Result("unknown", $"host {host.Name} not connected: its switch is not connected to the controller, so the packet's fate there cannot be traced", planned: false, host: host.Name, reason: "host-not-connected"));
            return null;
        }

        try
        {
            return await TracedSwitch.ReadAsync(host, context.Session, trace.Notes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SwitchSessionClosedException or TimeoutException or OpenFlowErrorException)
        {
            TraceLog.FlowReadFailed(logger, host.Name, e);
            trace.AddDisconnectedHop(host, inPort);
            trace.Finish(Result("unknown", $"host {host.Name}: reading its flow table failed ({e.Message})", planned: false, host: host.Name, reason: "host-not-connected"));
            return null;
        }
    }

    /// <summary>The first packet reached the controller: what the controller does with it, applied to the models.</summary>
    private async Task FollowPlanAsync(Trace trace, TracedSwitch sourceSwitch, Host sourceHost, uint inPort, PacketToController packetIn, CancellationToken cancellationToken)
    {
        Endpoint source = trace.Source;
        if (trace.Destination is not Endpoint destination)
        {
            trace.Finish(Result("dropped", $"dropped by the controller: no endpoint has {trace.Address} in network {trace.Network.Name}", planned: true, host: sourceHost.Name, table: Tables.Egress, reason: FirstPacketHandler.NoRoute));
            return;
        }

        if (destination.Id == source.Id)
        {
            trace.Finish(Result("dropped", $"dropped by the controller: {source.Name} sent to its own address", planned: true, host: sourceHost.Name, reason: FirstPacketHandler.NoRoute));
            return;
        }

        PolicyDecision decision = trace.Decision!.Value;
        TrafficScope scope = TrafficScope.Enforcing(trace.Engine, decision, source.Id, destination.Id, trace.Protocol, trace.Port ?? 0);
        if (!decision.IsAllowed)
        {
            FlowMod denial = planner.PlanDenial(PlannedConversationId, source, trace.Network, trace.Address, scope);
            sourceSwitch.AddPlanned([denial], trace.Notes);
            PipelineResult denied = sourceSwitch.Model.Evaluate(inPort, trace.Frame);
            trace.AddHop(sourceSwitch, "planned", inPort, trace.Frame, denied, "dropped", reason: Words(decision));
            trace.Finish(Result("dropped", $"dropped at {sourceHost.Name} table {Tables.Egress} ({PatchbayPipeline.NameOf(Tables.Egress)}): {Words(decision)}", planned: true, host: sourceHost.Name, table: Tables.Egress, reason: Words(decision)));
            return;
        }

        if (destination.Network != source.Network)
        {
            trace.Finish(Result("dropped", $"dropped by the controller: the policy allows it ({Words(decision)}) but {destination.Name} is in network {destination.Network} and networks are not routed yet", planned: true, host: sourceHost.Name, reason: FirstPacketHandler.NotAllowedYet));
            return;
        }

        Host? destinationHost = state.FindHost(destination.Host);
        if (destination.OfPort is null || destinationHost is null)
        {
            trace.Finish(Result("dropped", $"dropped by the controller: {destination.Name} is not plugged into its host's switch yet", planned: true, host: sourceHost.Name, reason: FirstPacketHandler.NoRoute));
            return;
        }

        TracedSwitch? destinationSwitch = sourceHost.Name == destinationHost.Name ? sourceSwitch : null;
        if (destinationSwitch is null)
        {
            if (switches.ReadyFor(destinationHost.Name) is null)
            {
                trace.AddDisconnectedHop(destinationHost, destinationHost.UplinkPort);
                trace.Finish(Result("dropped", $"dropped by the controller: host {destinationHost.Name} not connected, so no conversation can be set up to {destination.Name}", planned: true, host: destinationHost.Name, reason: "host-not-connected"));
                return;
            }

            destinationSwitch = await ReadSwitchAsync(trace, destinationHost, destinationHost.UplinkPort, cancellationToken).ConfigureAwait(false);
            if (destinationSwitch is null)
            {
                return;
            }
        }

        ConversationPlan plan;
        try
        {
            plan = planner.PlanConversation(PlannedConversationId, source, sourceHost, destination, destinationHost, trace.Network, scope);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            trace.Finish(Result("dropped", $"dropped by the controller: it cannot plan this conversation ({e.Message})", planned: true, host: sourceHost.Name, reason: FirstPacketHandler.NoRoute));
            return;
        }

        trace.PlannedMode = plan.Mode;
        sourceSwitch.AddPlanned(plan.SourceSwitch, trace.Notes);
        if (destinationSwitch != sourceSwitch)
        {
            destinationSwitch.AddPlanned(plan.DestinationSwitch, trace.Notes);
            trace.Preloaded[destinationHost.Name] = destinationSwitch;
        }

        trace.Notes.Add($"the first packet reaches the controller (PACKET_IN from table {packetIn.TableId}); what follows uses the flows it would install, not installed yet");
        PipelineResult result = sourceSwitch.Model.Evaluate(inPort, trace.Frame);
        await FollowAsync(trace, sourceSwitch, inPort, trace.Frame, result, "planned", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the hop and follows the packet out of the uplink into the next host's switch, until it is delivered or dropped.</summary>
    private async Task FollowAsync(Trace trace, TracedSwitch current, uint inPort, byte[] frame, PipelineResult result, string stage, CancellationToken cancellationToken)
    {
        for (int hop = 0; hop < MaxHops; hop++)
        {
            Host host = current.Host;
            if (result.Dropped is { } dropped)
            {
                string reason = DropReason(trace, current, dropped, inPort, frame, result);
                trace.AddHop(current, stage, inPort, frame, result, "dropped", reason: reason);
                trace.Finish(Result("dropped", $"dropped at {host.Name} table {dropped.TableId} ({PatchbayPipeline.NameOf(dropped.TableId)}): {reason}", stage == "planned", host.Name, table: dropped.TableId, reason: reason));
                return;
            }

            if (result.ToController is [PacketToController packetIn, ..])
            {
                trace.AddHop(current, stage, inPort, frame, result, "controller", reason: $"sent to the controller from table {packetIn.TableId}");
                trace.Finish(Result("dropped", $"sent to the controller from {host.Name} table {packetIn.TableId} ({PatchbayPipeline.NameOf(packetIn.TableId)}) after the first packet; the trace stops there", stage == "planned", host.Name, table: packetIn.TableId, reason: "to-controller"));
                return;
            }

            PacketForwarded output = result.Forwarded[0];
            trace.AddHop(current, stage, inPort, frame, result, "output", output.Port, trace.Names.Port(host, output.Port));
            if (output.Port != host.UplinkPort)
            {
                Endpoint? local = state.FindEndpointByPort(host.Name, output.Port);
                trace.Finish(local is null
                    ? Result("dropped", $"sent out of port {output.Port} of {host.Name}, where no endpoint is plugged", stage == "planned", host.Name, output.Port, reason: "no-endpoint-on-port")
                    : Result("delivered", $"delivered to {local.Name} (port {output.Port} of {host.Name}) as {TraceHeaders.Describe(output.Frame)}", stage == "planned", host.Name, output.Port, local.Name));
                return;
            }

            MacAddress next = MacAddress.Read(output.Frame);
            Host? nextHost = state.Hosts().FirstOrDefault(h => h.UplinkMac == next && h.Segment == host.Segment);
            if (nextHost is null)
            {
                trace.Finish(Result("dropped", $"sent out of {host.Name}'s uplink to {next}, which is no host's uplink on segment {host.Segment}", stage == "planned", host.Name, output.Port, reason: "no-host-on-fabric"));
                return;
            }

            TracedSwitch? nextSwitch = trace.Preloaded.GetValueOrDefault(nextHost.Name)
                ?? await ReadSwitchAsync(trace, nextHost, nextHost.UplinkPort, cancellationToken).ConfigureAwait(false);
            if (nextSwitch is null)
            {
                return;
            }

            current = nextSwitch;
            inPort = nextHost.UplinkPort;
            frame = output.Frame;
            result = current.Model.Evaluate(inPort, frame);
        }

        trace.Finish(Result("unknown", $"the packet visited {MaxHops} switches without being delivered or dropped; the trace stops", stage == "planned", current.Host.Name, reason: "loop"));
    }

    /// <summary>Why the switch dropped the packet, in the words a platform engineer uses.</summary>
    private static string DropReason(Trace trace, TracedSwitch current, PacketDropped dropped, uint inPort, byte[] frame, PipelineResult result)
    {
        Host host = current.Host;
        if (dropped.Reason == Core.Simulation.DropReason.Meter)
        {
            return $"meter {dropped.MeterId} dropped it: the port's PACKET_IN rate limit is exceeded";
        }

        if (dropped.Cookie is not ulong modelCookie)
        {
            return $"no flow in table {dropped.TableId} matches and the table has no miss flow";
        }

        ulong cookie = current.CookieOf(modelCookie);
        (Ipv4Address sourceIp, Ipv4Address destinationIp) = TraceHeaders.Addresses(frame);
        return Cookies.KindOf(cookie) switch
        {
            FlowKind.Endpoint when dropped.TableId == Tables.Classify => $"port security: source MAC/IP mismatch ({TraceHeaders.Describe(frame)} is not what {trace.Names.Owner(cookie, host.Name)} may send)",
            FlowKind.Conversation when dropped.TableId == Tables.Egress => trace.Decision is { IsAllowed: false } decision
                ? Words(decision)
                : $"denied: a drop flow of {trace.Names.Owner(cookie, host.Name)} refuses {sourceIp} → {destinationIp} until it expires (the policy now allows it: the next first packet after it expires is set up)",
            FlowKind.Pipeline => (PipelineFlowId)Cookies.IdOf(cookie) switch
            {
                PipelineFlowId.ClassifyMiss => $"unclassified: no flow in table 0 takes this packet from {trace.Names.Port(host, inPort)} (port {inPort})",
                PipelineFlowId.EgressMiss => "no first-packet flow for the source's port (its endpoint is being removed)",
                PipelineFlowId.IngressMiss => $"no conversation on {host.Name} takes {sourceIp} → {destinationIp} from the underlay (ingress miss: the conversation is not set up on this switch, or it expired here)",
                PipelineFlowId.DeliverMiss => $"no endpoint has {destinationIp} in {trace.Names.Network(current.MetadataWritten(result.Path.Select(s => s.Flow).OfType<FlowEntry>()) ?? trace.Network.Id)} on {host.Name}",
                PipelineFlowId.ArpMiss => "ARP that is not a request from a known endpoint",
                _ => $"dropped by pipeline flow {TraceText.Cookie(cookie)}",
            },
            _ => $"dropped by flow {TraceText.Cookie(cookie)} ({trace.Names.Owner(cookie, host.Name)})",
        };
    }

    /// <summary>A denial in words: "denied by rule X of group Y (priority P)", "disconnected by connection C", "different tenants".</summary>
    internal static string Words(PolicyDecision decision) => decision.Reason switch
    {
        DecisionReason.Rule => $"{Verb(decision)} by rule {decision.Rule!.Name} of group {decision.Rule.AppliesTo} (priority {decision.Rule.Priority})",
        DecisionReason.Disconnected => $"disconnected by connection {decision.Connection!.Name}",
        DecisionReason.Connected => $"connected by connection {decision.Connection!.Name}",
        DecisionReason.OtherTenant => "different tenants: endpoints of two tenants never reach each other",
        DecisionReason.OtherNetwork => "other network of the tenant, and no rule allows it (default deny)",
        DecisionReason.SameNetwork => "same network (default allow)",
        _ => "unknown endpoint",
    };

    private static string Verb(PolicyDecision decision) => decision.IsAllowed ? "allowed" : "denied";

    private static TraceResultView Result(string outcome, string summary, bool planned, string? host = null, uint? port = null, string? endpoint = null, byte? table = null, string? reason = null) =>
        new(outcome, summary, planned, host, port, endpoint, table, reason);
}
