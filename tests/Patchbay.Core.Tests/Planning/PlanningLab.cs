// A small model for planner tests: hosts on one L2 segment, networks (two of them overlapping, as two
// tenants may), and endpoints with ports, built the way the controller's store would hand them over.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Planning;

internal static class PlanningLab
{
    public const string Segment = "fabric0";

    /// <summary>The uplink is port 1 on every host; endpoints get ports from 10 up.</summary>
    public const uint UplinkPort = 1;

    public static Host Host(int n, string segment = Segment) => new(
        $"h{n}",
        0x0000_5042_0000_0000UL | (uint)n,
        new MacAddress(0x02_00_c6_12_00_00UL | (uint)n),
        UplinkPort,
        new Ipv4Address(0xc6_12_00_00U | (uint)n),
        segment,
        HostState.Connected,
        DateTimeOffset.UnixEpoch);

    public static Network Network(uint id, string subnet = "10.1.0.0/24", string? tenant = null)
    {
        var prefix = Ipv4Subnet.Parse(subnet);
        return new Network(id, $"net{id}", tenant ?? $"tenant{id}", prefix, prefix.FirstHost);
    }

    /// <param name="lastOctet">Host part of the address; 10 + id when absent. The MAC is locally administered from the id.</param>
    public static Endpoint Endpoint(uint id, Host host, Network network, uint? ofPort = null, uint? lastOctet = null) => new(
        id,
        $"c{id}",
        network.Tenant,
        network.Name,
        new Ipv4Address(network.Subnet.Network.Value + (lastOctet ?? (10 + id))),
        new MacAddress(0x02_50_42_00_00_00UL | id),
        host.Name,
        ofPort ?? (10 + id),
        new Dictionary<string, string>(),
        DateTimeOffset.UnixEpoch);
}
