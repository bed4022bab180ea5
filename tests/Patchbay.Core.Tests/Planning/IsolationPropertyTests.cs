// FsCheck over random topologies (2-3 hosts, 1-3 networks sharing one subnet, addresses repeated across
// networks) and random sets of planned conversations: a packet reaches only the endpoint of the sender's
// network that owns the destination address, and only once a conversation joins them; never an endpoint
// of another network.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Planning;

public sealed class IsolationPropertyTests
{
    [Fact]
    public void Ping_RandomTopologyAndConversations_DeliveredOnlyWithinTheNetworkToTheAddressOwner()
    {
        Prop.ForAll(TopologyGen.Arbitrary, ArbMap.Default.ArbFor<int>(), (topology, seed) =>
        {
            var lab = new PlannedFabric(new FlowPlanner(new PlannerOptions()), topology);
            HashSet<(uint, uint)> joined = PlanSome(lab, topology, new Random(seed));

            foreach (Endpoint from in topology.Endpoints)
            {
                foreach (Endpoint to in topology.Endpoints.Where(e => e.Id != from.Id))
                {
                    FabricDelivery delivery = lab.Ping(from, to);
                    Endpoint? owner = topology.Endpoints.SingleOrDefault(e => e.Network == from.Network && e.Ip == to.Ip && e.Id != from.Id);
                    bool connected = owner is not null && joined.Contains(Pair(from, owner));
                    string context = $"{from.Name} -> {to.Ip} (sent to {to.Name}) in {topology}: {delivery}";

                    Assert.True(delivery.Arrivals.Count <= 1, context);
                    Assert.All(delivery.Arrivals, a =>
                    {
                        Endpoint reached = lab.Endpoint(a.Endpoint.Name);
                        Assert.True(reached.Network == from.Network, $"crossed networks: {context}");
                        Assert.True(reached.Ip == to.Ip, $"wrong address: {context}");
                    });
                    Assert.True(connected == (delivery.Arrivals.Count == 1), $"delivered {delivery.Arrivals.Count} with conversation {connected}: {context}");
                    Assert.True(connected == (delivery.PacketIns.Count == 0), $"packet-ins {delivery.PacketIns.Count} with conversation {connected}: {context}");
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    // Plans a random subset of same-network pairs, leaving out a pair whose DirectPathKey another network
    // already holds, as the controller must (docs/pipeline.md, "Limit of direct mode");
    // DirectPath_SharedByTwoNetworks_LeaksWithoutTheRefusal shows why.
    private static HashSet<(uint, uint)> PlanSome(PlannedFabric lab, Topology topology, Random random)
    {
        var joined = new HashSet<(uint, uint)>();
        var pathOwners = new Dictionary<DirectPathKey, string>();
        ulong id = 0;
        foreach ((Endpoint a, Endpoint b) in topology.SameNetworkPairs())
        {
            if (random.Next(2) == 0 || joined.Contains(Pair(a, b)))
            {
                continue;
            }

            if (DirectPathKey.Of(a, b) is { } key)
            {
                if (pathOwners.TryGetValue(key, out string? network) && network != a.Network)
                {
                    continue;
                }

                pathOwners[key] = a.Network;
            }

            lab.Converse(++id, a, b);
            joined.Add(Pair(a, b));
        }

        return joined;
    }

    private static (uint, uint) Pair(Endpoint a, Endpoint b) => (Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id));

    [Fact]
    public void DirectPath_SharedByTwoNetworks_LeaksWithoutTheRefusal()
    {
        Host h1 = PlanningLab.Host(1);
        Host h2 = PlanningLab.Host(2);
        Network red = PlanningLab.Network(1);
        Network blue = PlanningLab.Network(2);
        Endpoint redA = PlanningLab.Endpoint(1, h1, red, lastOctet: 2);
        Endpoint redB = PlanningLab.Endpoint(2, h2, red, lastOctet: 3);
        Endpoint blueA = PlanningLab.Endpoint(3, h1, blue, lastOctet: 2);
        Endpoint blueB = PlanningLab.Endpoint(4, h2, blue, lastOctet: 3);
        var lab = new PlannedFabric(new FlowPlanner(new PlannerOptions()), [h1, h2], [red, blue], [redA, redB, blueA, blueB]);

        Assert.Equal(DirectPathKey.Of(redA, redB), DirectPathKey.Of(blueB, blueA));
        Assert.Null(DirectPathKey.Of(redA, blueA));
        lab.Converse(1, redA, redB);
        lab.Converse(2, blueA, blueB);

        Assert.Equal(blueB.Name, lab.Ping(redA, redB).SingleArrival.Endpoint.Name);
    }
}
