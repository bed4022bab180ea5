// The planner driving modelled switches as the controller will: each host gets its meters and static
// flows, a conversation's flows go to the destination switch first, then the source switch, and a
// revocation is one delete per switch. Tests then send frames through the FakeFabric and look at where
// they arrive, rewritten how.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Planning;

internal sealed class PlannedFabric
{
    private readonly Dictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Network> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);

    public PlannedFabric(FlowPlanner planner, IEnumerable<Host> hosts, IEnumerable<Network> networks, IEnumerable<Endpoint> endpoints)
    {
        Planner = planner;
        foreach (Network network in networks)
        {
            _networks.Add(network.Name, network);
        }

        foreach (Host host in hosts)
        {
            _hosts.Add(host.Name, host);
            Fabric.AddHost(host.Name, host.UplinkMac, host.UplinkPort, host.DatapathId);
        }

        foreach (Endpoint endpoint in endpoints)
        {
            _endpoints.Add(endpoint.Name, endpoint);
            Fabric.AddEndpoint(endpoint.Name, endpoint.Host, endpoint.OfPort!.Value, endpoint.Mac, endpoint.Ip);
        }

        foreach (Host host in _hosts.Values)
        {
            List<Endpoint> local = [.. _endpoints.Values.Where(e => e.Host == host.Name)];
            Fabric.Apply(host.Name, Planner.DesiredMeters(local));
            Fabric.Apply(host.Name, Planner.DesiredStaticFlows(host, local.Select(e => (e, _networks[e.Network]))));
        }
    }

    public PlannedFabric(FlowPlanner planner, Topology topology)
        : this(planner, topology.Hosts, topology.Networks, topology.Endpoints)
    {
    }

    public FlowPlanner Planner { get; }

    public FakeFabric Fabric { get; } = new();

    public Endpoint Endpoint(string name) => _endpoints[name];

    public Host HostOf(Endpoint endpoint) => _hosts[endpoint.Host];

    public Network NetworkOf(Endpoint endpoint) => _networks[endpoint.Network];

    /// <summary>Plans and installs a conversation as the controller does: destination switch, then source switch.</summary>
    public ConversationPlan Converse(ulong id, Endpoint from, Endpoint to, TrafficScope scope = default)
    {
        ConversationPlan plan = Planner.PlanConversation(id, from, HostOf(from), to, HostOf(to), _networks[from.Network], scope);
        Fabric.Apply(to.Host, plan.DestinationSwitch);
        Fabric.Apply(from.Host, plan.SourceSwitch);
        return plan;
    }

    public IReadOnlyList<FlowRemoved> Revoke(ConversationPlan plan, Endpoint from, Endpoint to) =>
        [.. Fabric.Apply(from.Host, [Planner.DeleteConversation(plan.Cookie)]), .. Fabric.Apply(to.Host, [Planner.DeleteConversation(plan.Cookie)])];

    /// <summary>An ICMP echo from <paramref name="from"/> to <paramref name="to"/>, addressed as A would after ARP.</summary>
    public FabricDelivery Ping(Endpoint from, Endpoint to, ushort sequence = 1) =>
        Fabric.Send(from.Name, Echo(from, to, sequence));

    public static byte[] Echo(Endpoint from, Endpoint to, ushort sequence = 1, int payload = 56) =>
        FrameBuilder.IcmpEcho(new FrameAddresses(from.Mac, to.Mac, from.Ip, to.Ip), 0x5042, sequence, new byte[payload]);
}
