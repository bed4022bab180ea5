// The source MAC that names a network on the underlay in direct mode (docs/isolation.md). A cross-host frame
// leaves its host with eth_src = the MAC of (source host, network) and eth_dst = the destination host's real
// uplink MAC; the far switch's ingress flows match that source MAC, so two tenants' identical address pairs
// between the same two hosts meet different flows, with no tag or encapsulation in the frame.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Core.Planning;

public static class NetworkHostMac
{
    /// <summary>The first byte of every network host MAC: locally administered (bit 1), unicast (bit 0 clear); not the controller's endpoint prefix 0e:50:42.</summary>
    public const byte Prefix = 0x06;

    /// <summary>The largest network id a MAC can carry (24 bits).</summary>
    public const uint MaxNetworkId = 0x00ff_ffff;

    /// <summary>
    /// 06:HH:HH:NN:NN:NN: HH:HH the low 16 bits of the host's underlay address (unique among the hosts of one
    /// segment of /16 or longer), NN:NN:NN the network id.
    /// </summary>
    public static MacAddress Of(Host host, Network network)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(network);
        if (network.Id > MaxNetworkId)
        {
            throw new ArgumentOutOfRangeException(nameof(network), network.Id, $"network {network.Name}: direct mode carries network ids up to {MaxNetworkId} in the host MAC");
        }

        ulong hostBits = host.UnderlayIp.Value & 0xffff;
        return new MacAddress(((ulong)Prefix << 40) | (hostBits << 24) | network.Id);
    }
}
