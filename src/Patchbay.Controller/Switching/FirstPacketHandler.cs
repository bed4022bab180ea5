// PACKET_IN from the pipeline: an ARP request (table 10) is answered with a PACKET_OUT carrying the MAC the
// requester should use, never flooded; a first packet (table 20) is resolved to its source endpoint (by
// switch and port) and destination (by network and address) and handed to the conversation tracker.
// Anything the controller refuses is counted as a drop by reason.
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Switching;

public sealed class FirstPacketHandler(IControllerState state, SwitchRegistry switches, ConversationTracker conversations, ILogger<FirstPacketHandler> logger)
{
    /// <summary>An ARP request for an address that is neither an endpoint of the requester's network nor its gateway.</summary>
    public const string ArpUnknownTarget = "arp-unknown-target";

    /// <summary>A first packet to an address that no reachable endpoint of the source's network has.</summary>
    public const string NoRoute = "no-route";

    /// <summary>A first packet to an endpoint of another network of the same tenant: routing between networks comes later.</summary>
    public const string NotAllowedYet = "not-allowed-yet";

    /// <summary>Handles one PACKET_IN. Conversation setups run on their own, so the switch's next message is not held up.</summary>
    public ValueTask OnPacketInAsync(SwitchContext context, PacketIn packetIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(packetIn);
        if (context.ConfiguredHost is not string hostName || !TryGetInPort(packetIn.Match, out uint inPort))
        {
            return ValueTask.CompletedTask;
        }

        Endpoint? source = state.FindEndpointByPort(hostName, inPort);
        Network? network = source is null ? null : state.FindNetwork(source.Network);
        if (source is null || network is null)
        {
            ControllerLog.PacketInFromUnknownPort(logger, context.DatapathId, packetIn.TableId, inPort);
            return ValueTask.CompletedTask;
        }

        return packetIn.TableId switch
        {
            Tables.Arp => AnswerArpAsync(context, inPort, packetIn.Data, source, network, cancellationToken),
            Tables.Egress => StartConversation(context, inPort, packetIn, source, network, cancellationToken),
            _ => ValueTask.CompletedTask,
        };
    }

    private ValueTask AnswerArpAsync(SwitchContext context, uint inPort, ReadOnlyMemory<byte> frame, Endpoint source, Network network, CancellationToken cancellationToken)
    {
        if (!ArpView.TryParseFrame(frame.Span, out _, out ArpView request) || !request.IsRequest)
        {
            return ValueTask.CompletedTask;
        }

        Ipv4Address target = request.TargetIp;
        MacAddress? answer = target == network.Gateway
            ? network.GatewayMac
            : target == source.Ip ? null : state.FindEndpointByIp(network.Name, target)?.Mac;
        if (answer is not MacAddress mac)
        {
            state.CountDrop(source.Host, ArpUnknownTarget, (ulong)frame.Length);
            ControllerLog.FirstPacketDropped(logger, source.Host, ArpUnknownTarget, $"{source.Name} asked for {target}");
            return ValueTask.CompletedTask;
        }

        byte[] reply = ArpPacket.BuildReply(frame.Span, mac);
        ControllerLog.ArpAnswered(logger, source.Name, target.ToString(), mac.ToString());
        return context.Session.SendAsync(new PacketOut(OfpConstants.NoBuffer, OfpPortNo.Controller, [new OutputAction(inPort)], reply), cancellationToken);
    }

    private ValueTask StartConversation(SwitchContext context, uint inPort, PacketIn packetIn, Endpoint source, Network network, CancellationToken cancellationToken)
    {
        if (!TryGetIpv4Destination(packetIn.Data.Span, out Ipv4Address target))
        {
            return ValueTask.CompletedTask;
        }

        Endpoint? destination = state.FindEndpointByIp(network.Name, target);
        Host? sourceHost = state.FindHost(source.Host);
        Host? destinationHost = destination is null ? null : state.FindHost(destination.Host);
        if (destination is null || destination.Id == source.Id || destination.OfPort is null || sourceHost is null || destinationHost is null
            || switches.ReadyFor(destinationHost.Name) is null)
        {
            string reason = destination is null && OtherNetworkOfTenantHas(network, target) ? NotAllowedYet : NoRoute;
            state.CountDrop(source.Host, reason, (ulong)packetIn.Data.Length);
            ControllerLog.FirstPacketDropped(logger, source.Host, reason, Unreachable(source, target, destination));
            return ValueTask.CompletedTask;
        }

        var packet = new FirstPacket(context, inPort, packetIn.BufferId, packetIn.Data, network, source, sourceHost, destination, destinationHost);
        _ = RunSetupAsync(packet, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private async Task RunSetupAsync(FirstPacket packet, CancellationToken cancellationToken)
    {
        // Off the switch's dispatch loop: the setup waits for barriers on two switches.
        await Task.Yield();
        try
        {
            await conversations.HandleFirstPacketAsync(packet, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ControllerLog.PacketInFailed(logger, packet.SourceSwitch.DatapathId, e);
        }
    }

    private bool OtherNetworkOfTenantHas(Network network, Ipv4Address target) =>
        state.Networks().Any(n => n.Tenant == network.Tenant && n.Id != network.Id && state.FindEndpointByIp(n.Name, target) is not null);

    private static string Unreachable(Endpoint source, Ipv4Address target, Endpoint? destination) => destination switch
    {
        null => $"{source.Name} sent to {target}, which no endpoint of network {source.Network} has",
        { } d when d.Id == source.Id => $"{source.Name} sent to its own address",
        { OfPort: null } d => $"{source.Name} sent to {d.Name}, which is not plugged yet",
        { } d => $"{source.Name} sent to {d.Name}, whose host {d.Host} is not connected",
    };

    private static bool TryGetInPort(OfpMatch match, out uint port)
    {
        if (match.Find(OxmBasicField.InPort) is { Value.Length: 4 } field)
        {
            port = BinaryPrimitives.ReadUInt32BigEndian(field.Value.Span);
            return true;
        }

        port = 0;
        return false;
    }

    private static bool TryGetIpv4Destination(ReadOnlySpan<byte> frame, out Ipv4Address destination)
    {
        destination = default;
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Ipv4
            || !Ipv4View.TryParse(ethernet.Payload, out Ipv4View ipv4))
        {
            return false;
        }

        destination = ipv4.Destination;
        return true;
    }
}
