// How much of a pair's traffic a conversation's flows carry (docs/policy.md, "Enforcement"): the whole IP
// pair, or, when the policy decided at protocol + port granularity, one protocol and (TCP, UDP) one
// destination port in the forward direction and only the replies from that port in the reverse direction.

using Patchbay.Core.Policy;

namespace Patchbay.Core.Planning;

/// <param name="IpProtocol">0 for the whole IP pair; otherwise the IP protocol number the flows match.</param>
/// <param name="DestinationPort">The forward direction's TCP or UDP destination port; 0 for other protocols.</param>
public readonly record struct TrafficScope(byte IpProtocol, ushort DestinationPort)
{
    /// <summary>Every protocol and port between the two addresses.</summary>
    public static TrafficScope IpPair => default;

    public bool IsIpPair => IpProtocol == 0;

    /// <summary>Whether the flows match a TCP or UDP port too (other protocols match ip_proto alone).</summary>
    public bool HasPort => IpProtocol is Packets.IpProtocol.Tcp or Packets.IpProtocol.Udp;

    /// <summary>The scope of a first packet decided at protocol + port granularity: the port only for TCP and UDP.</summary>
    public static TrafficScope Of(byte ipProtocol, ushort destinationPort)
    {
        if (ipProtocol == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ipProtocol), ipProtocol, "IP protocol 0 is the whole IP pair; use TrafficScope.IpPair");
        }

        return new TrafficScope(ipProtocol, ipProtocol is Packets.IpProtocol.Tcp or Packets.IpProtocol.Udp ? destinationPort : (ushort)0);
    }

    /// <summary>
    /// How wide the flows enforcing <paramref name="decision"/> (made by <paramref name="engine"/> for a first packet
    /// from <paramref name="sourceId"/> to <paramref name="destinationId"/>) may be. A protocol + port decision gets
    /// the packet's protocol and port. An IP-pair allow stays the IP pair only when the reverse direction is
    /// allowed as a whole too: its reverse flows carry everything the destination sends back, so otherwise it is
    /// narrowed to the packet's protocol and port (the reverse flows then carry the replies of this connection).
    /// </summary>
    public static TrafficScope Enforcing(PolicyEngine engine, PolicyDecision decision, uint sourceId, uint destinationId, byte ipProtocol, ushort destinationPort)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (ipProtocol == 0 || (decision.Granularity == PolicyGranularity.IpPair && !decision.IsAllowed))
        {
            return IpPair;
        }

        if (decision.Granularity == PolicyGranularity.ProtocolPort)
        {
            return Of(ipProtocol, destinationPort);
        }

        PolicyDecision reverse = engine.Decide(destinationId, sourceId, ipProtocol, destinationPort);
        return reverse.IsAllowed && reverse.Granularity == PolicyGranularity.IpPair ? IpPair : Of(ipProtocol, destinationPort);
    }

    /// <summary>"tcp/80", "udp/53", "icmp", "proto 47", or "any" for the IP pair.</summary>
    public override string ToString() => IpProtocol switch
    {
        0 => "any",
        Packets.IpProtocol.Tcp => $"tcp/{DestinationPort}",
        Packets.IpProtocol.Udp => $"udp/{DestinationPort}",
        Packets.IpProtocol.Icmp => "icmp",
        _ => $"proto {IpProtocol}",
    };
}
