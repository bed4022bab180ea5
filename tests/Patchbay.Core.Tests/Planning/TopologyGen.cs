// Random topologies for planner properties: 2-3 hosts on one segment, 1-3 networks that all use the
// same subnet (as two tenants may), and endpoints whose addresses repeat across networks, so only the
// network tag keeps them apart.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Model;

namespace Patchbay.Core.Tests.Planning;

internal sealed record Topology(IReadOnlyList<Host> Hosts, IReadOnlyList<Network> Networks, IReadOnlyList<Endpoint> Endpoints)
{
    public Host HostOf(Endpoint endpoint) => Hosts.Single(h => h.Name == endpoint.Host);

    public Network NetworkOf(Endpoint endpoint) => Networks.Single(n => n.Name == endpoint.Network);

    public IEnumerable<(Endpoint, Network)> LocalTo(Host host) =>
        Endpoints.Where(e => e.Host == host.Name).Select(e => (e, NetworkOf(e)));

    /// <summary>Every ordered pair of distinct endpoints in one network.</summary>
    public IEnumerable<(Endpoint From, Endpoint To)> SameNetworkPairs() =>
        from a in Endpoints
        from b in Endpoints
        where a.Id != b.Id && a.Network == b.Network
        select (a, b);

    public override string ToString() =>
        string.Join("; ", Endpoints.Select(e => $"{e.Name}@{e.Host}/{e.Network} {e.Ip} port {e.OfPort}"));
}

internal static class TopologyGen
{
    public static Arbitrary<Topology> Arbitrary { get; } = Generator.ToArbitrary();

    public static Gen<Topology> Generator =>
        from hostCount in Gen.Choose(2, 3)
        from networkCount in Gen.Choose(1, 3)
        from slots in Gen.ListOf(Slot(hostCount, networkCount)).Select(l => l.Take(10).ToList())
        select Build(hostCount, networkCount, slots);

    private static Gen<(int Host, int Network, int Octet)> Slot(int hostCount, int networkCount) =>
        from host in Gen.Choose(1, hostCount)
        from network in Gen.Choose(1, networkCount)
        from octet in Gen.Choose(2, 6)
        select (host, network, octet);

    private static Topology Build(int hostCount, int networkCount, IEnumerable<(int Host, int Network, int Octet)> slots)
    {
        Host[] hosts = [.. Enumerable.Range(1, hostCount).Select(n => PlanningLab.Host(n))];
        Network[] networks = [.. Enumerable.Range(1, networkCount).Select(n => PlanningLab.Network((uint)n))];
        var endpoints = new List<Endpoint>();
        // One address per network; ports numbered per host.
        foreach ((int host, int network, int octet) in slots.DistinctBy(s => (s.Network, s.Octet)))
        {
            uint id = (uint)endpoints.Count + 1;
            uint port = 10 + (uint)endpoints.Count(e => e.Host == hosts[host - 1].Name);
            Endpoint endpoint = PlanningLab.Endpoint(id, hosts[host - 1], networks[network - 1], port, (uint)octet);
            endpoints.Add(endpoint);
        }

        return new Topology(hosts, networks, endpoints);
    }
}
