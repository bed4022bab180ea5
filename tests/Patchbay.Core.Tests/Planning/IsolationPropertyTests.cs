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

    // Plans a random subset of same-network pairs, including identical address pairs of several networks
    // between the same two hosts at once: the (host, network) MACs keep them apart (docs/isolation.md).
    private static HashSet<(uint, uint)> PlanSome(PlannedFabric lab, Topology topology, Random random)
    {
        var joined = new HashSet<(uint, uint)>();
        ulong id = 0;
        foreach ((Endpoint a, Endpoint b) in topology.SameNetworkPairs())
        {
            if (random.Next(2) == 0 || joined.Contains(Pair(a, b)))
            {
                continue;
            }

            lab.Converse(++id, a, b);
            joined.Add(Pair(a, b));
        }

        return joined;
    }

    private static (uint, uint) Pair(Endpoint a, Endpoint b) => (Math.Min(a.Id, b.Id), Math.Max(a.Id, b.Id));
}
