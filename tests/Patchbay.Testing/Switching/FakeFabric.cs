// Several modelled switches (one per host) whose uplinks share one L2 segment, as the lab's Linux bridge
// joins them: a frame output on an uplink reaches the uplink of the host whose uplink MAC is its eth_dst,
// or every other host's uplink when it is broadcast, multicast or unknown. Containers are ports. Tests send a
// frame from a container and assert where it arrives, rewritten how, which PACKET_INs were raised and
// what crossed the segment (a capture on the fabric).
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Testing.Switching;

public sealed class FakeFabric
{
    /// <summary>Pipeline runs one send may cause before the fabric calls it a forwarding loop.</summary>
    public const int MaxHops = 32;

    private readonly Dictionary<string, FabricHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FabricEndpoint> _endpoints = new(StringComparer.Ordinal);

    public IReadOnlyCollection<FabricHost> Hosts => _hosts.Values;

    public IReadOnlyCollection<FabricEndpoint> Endpoints => _endpoints.Values;

    public FabricHost Host(string name) =>
        _hosts.TryGetValue(name, out FabricHost? host) ? host : throw new KeyNotFoundException($"no host {name} in the fabric");

    public FabricEndpoint Endpoint(string name) =>
        _endpoints.TryGetValue(name, out FabricEndpoint? endpoint) ? endpoint : throw new KeyNotFoundException($"no endpoint {name} in the fabric");

    public FabricHost AddHost(string name, MacAddress uplinkMac, uint uplinkPort = 1, ulong datapathId = 0)
    {
        var host = new FabricHost(name, uplinkMac, uplinkPort, new SwitchModel(datapathId == 0 ? (ulong)(_hosts.Count + 1) : datapathId));
        if (!_hosts.TryAdd(name, host))
        {
            throw new ArgumentException($"host {name} exists", nameof(name));
        }

        host.Switch.AddPort(uplinkPort);
        return host;
    }

    public FabricEndpoint AddEndpoint(string name, string host, uint port, MacAddress mac, Ipv4Address ip)
    {
        FabricHost fabricHost = Host(host);
        if (port == fabricHost.UplinkPort || _endpoints.Values.Any(e => e.Host == host && e.Port == port))
        {
            throw new ArgumentException($"port {port} on {host} is taken", nameof(port));
        }

        var endpoint = new FabricEndpoint(name, host, port, mac, ip);
        if (!_endpoints.TryAdd(name, endpoint))
        {
            throw new ArgumentException($"endpoint {name} exists", nameof(name));
        }

        fabricHost.Switch.AddPort(port);
        return endpoint;
    }

    public void RemoveEndpoint(string name)
    {
        FabricEndpoint endpoint = Endpoint(name);
        _endpoints.Remove(name);
        Host(endpoint.Host).Switch.RemovePort(endpoint.Port);
    }

    /// <summary>Applies messages (FLOW_MOD, METER_MOD, BARRIER) to one host's switch; returns the FLOW_REMOVED notices.</summary>
    public IReadOnlyList<FlowRemoved> Apply(string host, IEnumerable<OfpMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        SwitchModel model = Host(host).Switch;
        return [.. messages.SelectMany(model.Apply)];
    }

    /// <summary>Advances every switch's clock; returns each host's FLOW_REMOVED notices.</summary>
    public IReadOnlyList<(string Host, FlowRemoved Notice)> Expire(TimeSpan elapsed) =>
        [.. _hosts.Values.SelectMany(h => h.Switch.Expire(elapsed).Select(n => (h.Name, n)))];

    /// <summary>The container <paramref name="endpoint"/> sends <paramref name="frame"/> into its port.</summary>
    public FabricDelivery Send(string endpoint, ReadOnlySpan<byte> frame)
    {
        FabricEndpoint source = Endpoint(endpoint);
        var delivery = new FabricDelivery();
        var pending = new Queue<(FabricHost Host, uint InPort, byte[] Frame)>();
        pending.Enqueue((Host(source.Host), source.Port, frame.ToArray()));
        Drain(delivery, pending);
        return delivery;
    }

    /// <summary>The controller's PACKET_OUT to <paramref name="host"/>, followed through the fabric.</summary>
    public FabricDelivery PacketOut(string host, PacketOut packetOut)
    {
        FabricHost fabricHost = Host(host);
        var delivery = new FabricDelivery();
        PipelineResult result = fabricHost.Switch.PacketOut(packetOut);
        var pending = new Queue<(FabricHost Host, uint InPort, byte[] Frame)>();
        Collect(delivery, pending, fabricHost, packetOut.InPort, result);
        Drain(delivery, pending);
        return delivery;
    }

    /// <summary>As <see cref="PacketOut(string, PacketOut)"/> without a buffer: <paramref name="actions"/> on <paramref name="frame"/>.</summary>
    public FabricDelivery PacketOut(string host, uint inPort, ReadOnlySpan<byte> frame, IReadOnlyList<OfpAction> actions) =>
        PacketOut(host, new PacketOut(OfpConstants.NoBuffer, inPort, actions, frame.ToArray()));

    /// <summary>A frame that appears on the underlay segment from outside any host (another machine on the L2 fabric).</summary>
    public FabricDelivery InjectOnSegment(ReadOnlySpan<byte> frame)
    {
        var delivery = new FabricDelivery();
        var pending = new Queue<(FabricHost Host, uint InPort, byte[] Frame)>();
        byte[] bytes = frame.ToArray();
        delivery.Segment.Add(new SegmentFrame(null, bytes));
        Bridge(pending, sender: null, bytes);
        Drain(delivery, pending);
        return delivery;
    }

    private void Drain(FabricDelivery delivery, Queue<(FabricHost Host, uint InPort, byte[] Frame)> pending)
    {
        int hops = 0;
        while (pending.TryDequeue(out var item))
        {
            if (++hops > MaxHops)
            {
                throw new InvalidOperationException($"more than {MaxHops} pipeline runs for one frame: a forwarding loop ({delivery})");
            }

            PipelineResult result = item.Host.Switch.Evaluate(item.InPort, item.Frame);
            Collect(delivery, pending, item.Host, item.InPort, result);
        }
    }

    private void Collect(FabricDelivery delivery, Queue<(FabricHost Host, uint InPort, byte[] Frame)> pending, FabricHost host, uint inPort, PipelineResult result)
    {
        delivery.Traces.Add(new HostTrace(host.Name, inPort, result));
        foreach (PacketOutcome outcome in result.Outcomes)
        {
            switch (outcome)
            {
                case PacketForwarded forwarded when forwarded.Port == host.UplinkPort:
                    delivery.Segment.Add(new SegmentFrame(host.Name, forwarded.Frame));
                    Bridge(pending, host, forwarded.Frame);
                    break;
                case PacketForwarded forwarded when _endpoints.Values.FirstOrDefault(e => e.Host == host.Name && e.Port == forwarded.Port) is { } endpoint:
                    delivery.Arrivals.Add(new FabricArrival(endpoint, forwarded.Frame));
                    break;
                case PacketForwarded forwarded:
                    delivery.Unclaimed.Add((host.Name, forwarded));
                    break;
                case PacketToController packetIn:
                    delivery.PacketIns.Add(new FabricPacketIn(host.Name, packetIn));
                    break;
                case PacketDropped dropped:
                    delivery.Drops.Add(new FabricDrop(host.Name, dropped));
                    break;
            }
        }
    }

    // The Linux bridge: unicast to the uplink that owns the destination MAC, else flood to every other uplink.
    private void Bridge(Queue<(FabricHost Host, uint InPort, byte[] Frame)> pending, FabricHost? sender, byte[] frame)
    {
        if (frame.Length < EthernetFrame.HeaderSize)
        {
            return;
        }

        MacAddress destination = MacAddress.Read(frame);
        FabricHost? owner = destination.IsMulticast ? null : _hosts.Values.FirstOrDefault(h => h.UplinkMac == destination);
        if (owner is not null)
        {
            if (owner != sender)
            {
                pending.Enqueue((owner, owner.UplinkPort, frame));
            }

            return;
        }

        foreach (FabricHost host in _hosts.Values.Where(h => h != sender))
        {
            pending.Enqueue((host, host.UplinkPort, [.. frame]));
        }
    }
}

public sealed class FabricHost(string name, MacAddress uplinkMac, uint uplinkPort, SwitchModel model)
{
    public string Name { get; } = name;

    public MacAddress UplinkMac { get; } = uplinkMac;

    public uint UplinkPort { get; } = uplinkPort;

    public SwitchModel Switch { get; } = model;

    public override string ToString() => $"{Name} (uplink {UplinkPort}, {UplinkMac})";
}

public sealed record FabricEndpoint(string Name, string Host, uint Port, MacAddress Mac, Ipv4Address Ip)
{
    /// <summary>Addresses of a frame from this endpoint to <paramref name="other"/>; <paramref name="nextHopMac"/> defaults to the other's MAC.</summary>
    public FrameAddresses To(FabricEndpoint other, MacAddress? nextHopMac = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new FrameAddresses(Mac, nextHopMac ?? other.Mac, Ip, other.Ip);
    }
}

public sealed record FabricArrival(FabricEndpoint Endpoint, byte[] Frame);

public sealed record FabricPacketIn(string Host, PacketToController PacketIn);

public sealed record FabricDrop(string Host, PacketDropped Drop);

/// <summary>A frame seen on the underlay segment; <paramref name="FromHost"/> is null for an injected one.</summary>
public sealed record SegmentFrame(string? FromHost, byte[] Frame);

public sealed record HostTrace(string Host, uint InPort, PipelineResult Result);

/// <summary>Everything one send caused, in the order it happened.</summary>
public sealed class FabricDelivery
{
    public List<FabricArrival> Arrivals { get; } = [];

    public List<FabricPacketIn> PacketIns { get; } = [];

    public List<FabricDrop> Drops { get; } = [];

    public List<SegmentFrame> Segment { get; } = [];

    public List<HostTrace> Traces { get; } = [];

    /// <summary>Outputs to ports with nothing attached (LOCAL, a removed endpoint's port).</summary>
    public List<(string Host, PacketForwarded Output)> Unclaimed { get; } = [];

    public FabricArrival SingleArrival => Arrivals.Count == 1
        ? Arrivals[0]
        : throw new InvalidOperationException($"expected one arrival, got {Arrivals.Count}: {this}");

    public override string ToString() =>
        $"arrivals [{string.Join(", ", Arrivals.Select(a => a.Endpoint.Name))}], packet-ins [{string.Join(", ", PacketIns.Select(p => $"{p.Host}:table {p.PacketIn.TableId}"))}], " +
        $"drops [{string.Join(", ", Drops.Select(d => $"{d.Host}:table {d.Drop.TableId} {d.Drop.Reason}"))}], segment frames {Segment.Count}; " +
        string.Join("; ", Traces.Select(t => $"{t.Host} in_port {t.InPort}: {t.Result}"));
}
