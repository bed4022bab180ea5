// FsCheck over random rule sets (written in random order), connections and endpoints on two hosts and two
// networks of one tenant: every first packet (tcp/22, tcp/80, udp/53, icmp, each way between every pair, in a
// random order) is decided and installed as the controller does (TrafficScope.Enforcing, then the planner's
// conversation or drop flow), on modelled switches. Then no packet the engine denies is delivered: not by a
// denial's drop flow, not by the forward or reverse flows of any conversation allowed before it.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Tests.Planning;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyEnforcementPropertyTests
{
    private const string Tenant = "acme";

    // A source port none of the probes uses as a destination, so a reply flow (tp_src=port) cannot carry a probe.
    private const ushort EphemeralPort = 40000;

    private static readonly string[] Apps = ["web", "db", "api"];
    private static readonly (byte Protocol, ushort Port)[] Probes = [(IpProtocol.Tcp, 22), (IpProtocol.Tcp, 80), (IpProtocol.Udp, 53), (IpProtocol.Icmp, 0)];
    private static readonly Host[] Hosts = [PlanningLab.Host(1), PlanningLab.Host(2)];
    private static readonly Network[] Networks = [PlanningLab.Network(1, "10.1.0.0/24", Tenant), PlanningLab.Network(2, "10.2.0.0/24", Tenant)];

    [Fact]
    public void FirstPackets_RandomPolicyAndOrder_DeniedNeverDeliveredAllowedInOneNetworkDelivered()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            Endpoint[] endpoints = [.. Enumerable.Range(1, random.Next(2, 7)).Select(i =>
                PlanningLab.Endpoint((uint)i, Hosts[random.Next(Hosts.Length)], Networks[random.Next(Networks.Length)]) with
                {
                    Labels = new Dictionary<string, string> { ["app"] = Apps[random.Next(Apps.Length)] },
                })];
            PolicyEngine engine = PolicyLab.Compile(endpoints, Groups(), [.. Rules(random).OrderBy(_ => random.Next())], Connections(random, endpoints));
            var lab = new PlannedFabric(new FlowPlanner(new PlannerOptions()), Hosts, Networks, endpoints);
            var packets = (from a in endpoints from b in endpoints where a.Id != b.Id from p in Probes select (From: a, To: b, p.Protocol, p.Port)).ToList();
            ulong id = 1;

            foreach ((Endpoint from, Endpoint to, byte protocol, ushort port) in packets.OrderBy(_ => random.Next()))
            {
                byte[] frame = Frame(from, to, protocol, port);
                if (lab.Fabric.Send(from.Name, frame).PacketIns.Count == 0)
                {
                    continue;
                }

                PolicyDecision decision = engine.Decide(from, to, protocol, port);
                TrafficScope scope = TrafficScope.Enforcing(engine, decision, from.Id, to.Id, protocol, port);
                if (!decision.IsAllowed)
                {
                    lab.Fabric.Apply(from.Host, [lab.Planner.PlanDenial(id++, from, lab.NetworkOf(from), to.Ip, scope)]);
                }
                else if (from.Network == to.Network)
                {
                    lab.Converse(id++, from, to, scope);
                    Assert.True(lab.Fabric.Send(from.Name, frame).Arrivals.Any(a => a.Endpoint.Name == to.Name), $"seed {seed}: allowed {from.Name}->{to.Name} {protocol}/{port} ({decision}, {scope}) not delivered");
                }
            }

            foreach ((Endpoint from, Endpoint to, byte protocol, ushort port) in packets.Where(p => !engine.Decide(p.From, p.To, p.Protocol, p.Port).IsAllowed))
            {
                FabricDelivery delivery = lab.Fabric.Send(from.Name, Frame(from, to, protocol, port));
                Assert.True(delivery.Arrivals.Count == 0, $"seed {seed}: denied {from.Name}->{to.Name} {protocol}/{port} ({engine.Decide(from, to, protocol, port)}) delivered");
            }
        }).QuickCheckThrowOnFailure();
    }

    private static byte[] Frame(Endpoint from, Endpoint to, byte protocol, ushort port)
    {
        var addresses = new FrameAddresses(from.Mac, to.Mac, from.Ip, to.Ip);
        return protocol switch
        {
            IpProtocol.Tcp => FrameBuilder.Tcp(addresses, EphemeralPort, port, TcpFlags.Syn),
            IpProtocol.Udp => FrameBuilder.Udp(addresses, EphemeralPort, port, "probe"u8),
            _ => FrameBuilder.IcmpEcho(addresses, 7, 1, "probe"u8),
        };
    }

    private static EndpointGroup[] Groups() => [.. Apps.Select(app => PolicyLab.Group(app, Tenant, ("app", app)))];

    private static IEnumerable<PolicyRule> Rules(Random random) => Enumerable.Range(0, random.Next(0, 10)).Select(i =>
    {
        PolicyPeer peer = random.Next(4) switch
        {
            0 => PolicyPeer.Group(Apps[random.Next(Apps.Length)]),
            1 => PolicyPeer.Network(Networks[random.Next(Networks.Length)].Name),
            2 => PolicyPeer.Tenant(Tenant),
            _ => PolicyPeer.InCidr(new Ipv4Subnet(new Ipv4Address(0x0a_01_00_00U), random.Next(2) == 0 ? 24 : 28)),
        };
        PolicyProtocol protocol = (PolicyProtocol)random.Next(4);
        PortRange[] ports = protocol is PolicyProtocol.Tcp or PolicyProtocol.Udp && random.Next(2) == 0 ? [PortRange.Single((ushort)(random.Next(2) == 0 ? 22 : 53))] : [];
        return new PolicyRule($"r{i}", Tenant, Apps[random.Next(Apps.Length)], (RuleDirection)random.Next(2), [peer], protocol, ports, (PolicyAction)random.Next(2), random.Next(0, 5));
    });

    private static PairwiseConnection[] Connections(Random random, Endpoint[] endpoints) => [.. Enumerable.Range(0, random.Next(0, 3)).Select(i =>
    {
        Endpoint a = endpoints[random.Next(endpoints.Length)];
        return new PairwiseConnection($"c{i}", Tenant, (ConnectionAction)random.Next(2), ConnectionTarget.Endpoint(a.Name), ConnectionTarget.Group(Apps[random.Next(Apps.Length)]));
    })];
}
