// What tells two cross-host conversations apart on the underlay in direct mode: the frame carries the two
// host uplink MACs and the two container addresses, and nothing names the network. Two networks with
// overlapping subnets must therefore never hold active conversations with the same key at once, or the
// second one's ingress flows replace the first's and its packets reach the other network. The controller
// keeps the keys of active conversations and refuses such a conversation (docs/pipeline.md).
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Core.Planning;

/// <summary>The unordered (host, address) pair of a cross-host conversation; the same in both directions.</summary>
public sealed record DirectPathKey(string HostLow, Ipv4Address AddressOnHostLow, string HostHigh, Ipv4Address AddressOnHostHigh)
{
    /// <summary>The key of a conversation between <paramref name="a"/> and <paramref name="b"/>, or null on one host (the network tag separates those).</summary>
    public static DirectPathKey? Of(Endpoint a, Endpoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int order = string.CompareOrdinal(a.Host, b.Host);
        return order switch
        {
            0 => null,
            < 0 => new DirectPathKey(a.Host, a.Ip, b.Host, b.Ip),
            > 0 => new DirectPathKey(b.Host, b.Ip, a.Host, a.Ip),
        };
    }
}
