// How much of a pair's traffic a conversation's flows carry (docs/policy.md, "Enforcement"): the whole IP
// pair, or, when the policy decided at protocol + port granularity, one protocol and (TCP, UDP) one
// destination port in the forward direction and only the replies from that port in the reverse direction.

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
