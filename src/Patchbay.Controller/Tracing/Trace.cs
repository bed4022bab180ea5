// What one trace has found so far (the ends, the decision, the packet, the hops and notes) and its JSON view.
// TraceHeaders reads the addresses of a frame and lists what a switch rewrote between its input and output.
using System.Globalization;
using Patchbay.Controller.State;
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.Packets;

namespace Patchbay.Controller.Tracing;

internal sealed class Trace(TraceRequest request, Endpoint source, Network network, Endpoint? destination, Ipv4Address address, TraceNames names, PolicyEngine engine)
{
    private readonly List<TraceHopView> _hops = [];
    private TraceResultView? _result;

    public Endpoint Source { get; } = source;

    public Network Network { get; } = network;

    public Endpoint? Destination { get; } = destination;

    public Ipv4Address Address { get; } = address;

    public byte Protocol => request.Protocol;

    public ushort? Port => request.Port;

    public TraceNames Names { get; } = names;

    public PolicyEngine Engine { get; } = engine;

    public PolicyDecision? Decision { get; set; }

    /// <summary>The live conversation whose installed flow the packet matched first, if any.</summary>
    public ConversationRecord? Live { get; private set; }

    public DataPathMode? PlannedMode { get; set; }

    public byte[] Frame { get; set; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Switches already read and given planned flows, by host, so the packet meets those flows there.</summary>
    public Dictionary<string, TracedSwitch> Preloaded { get; } = new(StringComparer.Ordinal);

    public void AddHop(TracedSwitch traced, string stage, uint inPort, byte[] frame, PipelineResult result, string outcome, uint? outPort = null, string? outPortName = null, string? reason = null)
    {
        FlowEntry[] steps = [.. result.Path.Select(s => s.Flow).OfType<FlowEntry>()];
        Live ??= steps
            .Where(s => !TracedSwitch.IsPlanned(s.Cookie) && Cookies.KindOf(traced.CookieOf(s.Cookie)) == FlowKind.Conversation)
            .Select(s => Names.Conversation(Cookies.IdOf(traced.CookieOf(s.Cookie))))
            .FirstOrDefault(c => c is { IsActive: true });
        byte[] after = result.Forwarded is [PacketForwarded forwarded, ..] ? forwarded.Frame
            : result.ToController is [PacketToController packetIn, ..] ? packetIn.Frame
            : frame;
        List<TraceRewriteView> rewrites = TraceHeaders.Rewrites(frame, after);
        if (traced.MetadataWritten(steps) is ulong metadata)
        {
            rewrites.Add(new TraceRewriteView("metadata", "0x0", $"0x{metadata:x} ({Names.Network(metadata)})"));
        }

        _hops.Add(new TraceHopView(
            traced.Host.Name,
            traced.Host.DatapathId.ToString("x16", CultureInfo.InvariantCulture),
            stage,
            Connected: true,
            inPort,
            Names.Port(traced.Host, inPort),
            [.. steps.Select(s => traced.View(s, Names))],
            rewrites,
            outcome,
            outPort,
            outPortName,
            reason));
    }

    public void AddDisconnectedHop(Host host, uint inPort) =>
        _hops.Add(new TraceHopView(
            host.Name,
            host.DatapathId.ToString("x16", CultureInfo.InvariantCulture),
            "installed",
            Connected: false,
            inPort,
            Names.Port(host, inPort),
            [],
            [],
            "notConnected",
            Reason: $"host {host.Name} not connected"));

    public void Finish(TraceResultView result) => _result ??= result;

    public TraceView View()
    {
        string verdict = Decision is { IsAllowed: true } ? "allow" : "deny";
        TraceDecisionView decision = Decision is PolicyDecision d
            ? new TraceDecisionView(
                Camel(d.Reason.ToString()),
                Camel(d.Granularity.ToString()),
                TraceService.Words(d),
                d.Rule?.Name,
                d.Rule?.AppliesTo,
                d.Rule?.Priority,
                d.Connection?.Name)
            : new TraceDecisionView("noEndpoint", null, $"no endpoint has {Address} in network {Network.Name} or another network of tenant {Network.Tenant}");
        DataPathMode? mode = Live?.Conversation.Mode ?? PlannedMode;
        return new TraceView(
            new TraceEndpointView(Source.Name, Source.Tenant, Source.Network, Source.Ip.ToString(), Source.Mac.ToString(), Source.Host, Source.OfPort),
            Destination is Endpoint e
                ? new TraceEndpointView(e.Name, e.Tenant, e.Network, e.Ip.ToString(), e.Mac.ToString(), e.Host, e.OfPort)
                : new TraceEndpointView(null, null, null, Address.ToString(), null, null, null),
            ProtocolName(request.Protocol),
            request.Port,
            verdict,
            decision,
            mode is DataPathMode m ? Camel(m.ToString()) : null,
            Live is ConversationRecord live
                ? new TraceConversationView(live.Id.ToString(CultureInfo.InvariantCulture), $"0x{live.Conversation.Cookie:x16}", Camel(live.Conversation.State.ToString()), Camel(live.Conversation.Mode.ToString()))
                : null,
            TraceHeaders.Packet(Frame, request),
            [.. _hops],
            _result ?? new TraceResultView("unknown", "the trace ended without an outcome", Planned: false),
            [.. Notes]);
    }

    public static string ProtocolName(byte protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        _ => "icmp",
    };

    private static string Camel(string value) => char.ToLowerInvariant(value[0]) + value[1..];
}

internal static class TraceHeaders
{
    /// <summary>"0e:50:42:00:00:01 → 0e:50:42:00:00:02, 10.1.0.2 → 10.1.0.3".</summary>
    public static string Describe(byte[] frame)
    {
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet))
        {
            return $"{frame.Length} bytes that are not Ethernet";
        }

        (Ipv4Address source, Ipv4Address destination) = Addresses(frame);
        return $"{ethernet.Source} → {ethernet.Destination}, {source} → {destination}";
    }

    public static (Ipv4Address Source, Ipv4Address Destination) Addresses(byte[] frame) =>
        Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip) ? (ip.Source, ip.Destination) : (Ipv4Address.Any, Ipv4Address.Any);

    /// <summary>The header fields that differ between what entered a switch and what left it.</summary>
    public static List<TraceRewriteView> Rewrites(byte[] before, byte[] after)
    {
        var rewrites = new List<TraceRewriteView>();
        if (!EthernetFrame.TryParse(before, out EthernetFrame a) || !EthernetFrame.TryParse(after, out EthernetFrame b))
        {
            return rewrites;
        }

        if (a.Source != b.Source)
        {
            rewrites.Add(new TraceRewriteView("eth_src", a.Source.ToString(), b.Source.ToString()));
        }

        if (a.Destination != b.Destination)
        {
            rewrites.Add(new TraceRewriteView("eth_dst", a.Destination.ToString(), b.Destination.ToString()));
        }

        (Ipv4Address sa, Ipv4Address da) = Addresses(before);
        (Ipv4Address sb, Ipv4Address db) = Addresses(after);
        if (sa != sb)
        {
            rewrites.Add(new TraceRewriteView("ip_src", sa.ToString(), sb.ToString()));
        }

        if (da != db)
        {
            rewrites.Add(new TraceRewriteView("ip_dst", da.ToString(), db.ToString()));
        }

        (ushort? spa, ushort? dpa) = Ports(before);
        (ushort? spb, ushort? dpb) = Ports(after);
        if (spa != spb)
        {
            rewrites.Add(new TraceRewriteView("l4_src", Text(spa), Text(spb)));
        }

        if (dpa != dpb)
        {
            rewrites.Add(new TraceRewriteView("l4_dst", Text(dpa), Text(dpb)));
        }

        return rewrites;
    }

    public static TracePacketView Packet(byte[] frame, TraceRequest request)
    {
        (MacAddress ethSource, MacAddress ethDestination) = EthernetFrame.TryParse(frame, out EthernetFrame ethernet) ? (ethernet.Source, ethernet.Destination) : default;
        (Ipv4Address source, Ipv4Address destination) = Addresses(frame);
        (ushort? sourcePort, ushort? destinationPort) = Ports(frame);
        return new TracePacketView(
            ethSource.ToString(),
            ethDestination.ToString(),
            source.ToString(),
            destination.ToString(),
            request.Protocol == IpProtocol.Icmp ? "icmp echo-request" : Trace.ProtocolName(request.Protocol),
            sourcePort,
            destinationPort,
            frame.Length);
    }

    private static (ushort? Source, ushort? Destination) Ports(byte[] frame)
    {
        if (!Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip))
        {
            return (null, null);
        }

        if (ip.Protocol == IpProtocol.Tcp && TcpView.TryParse(ip.Payload, out TcpView tcp))
        {
            return (tcp.SourcePort, tcp.DestinationPort);
        }

        return ip.Protocol == IpProtocol.Udp && UdpView.TryParse(ip.Payload, out UdpView udp) ? (udp.SourcePort, udp.DestinationPort) : (null, null);
    }

    private static string Text(ushort? port) => port?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
