// FsCheck over random endpoints (two tenants, two networks each, random labels) and random rule sets:
// the decision never depends on the order rules are written in, a pair is never allowed across tenants,
// and AffectedBy is sound: every pair decided differently after a change is in the impact.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyPropertyTests
{
    private static readonly string[] Tenants = ["t1", "t2"];
    private static readonly string[] Apps = ["web", "db", "api"];
    private static readonly (byte Protocol, ushort Port)[] Probes = [(IpProtocol.Tcp, 22), (IpProtocol.Tcp, 80), (IpProtocol.Udp, 53), (IpProtocol.Icmp, 0)];

    [Fact]
    public void Decide_RulesShuffled_SameDecisionAndDeniedPairsStayDenied()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            (Endpoint[] endpoints, EndpointGroup[] groups, PolicyRule[] rules, PairwiseConnection[] connections) = Scenario(random);
            PolicyEngine ordered = PolicyLab.Compile(endpoints, groups, rules, connections);
            PolicyEngine shuffled = PolicyLab.Compile(endpoints.Reverse(), groups.Reverse(), [.. rules.OrderBy(_ => random.Next())], [.. connections.Reverse()]);

            foreach (Endpoint from in endpoints)
            {
                foreach (Endpoint to in endpoints)
                {
                    foreach ((byte protocol, ushort port) in Probes)
                    {
                        PolicyDecision a = ordered.Decide(from, to, protocol, port);
                        PolicyDecision b = shuffled.Decide(from, to, protocol, port);
                        Assert.True(a == b, $"seed {seed}: {from.Name}->{to.Name} {protocol}/{port}: {a} vs {b}");
                    }
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decide_AnyRulesAndConnections_NeverAllowsAcrossTenants()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            (Endpoint[] endpoints, EndpointGroup[] groups, PolicyRule[] rules, PairwiseConnection[] connections) = Scenario(new Random(seed));
            PolicyEngine engine = PolicyLab.Compile(endpoints, groups, rules, connections);

            foreach (Endpoint from in endpoints)
            {
                foreach (Endpoint to in endpoints.Where(e => e.Tenant != from.Tenant))
                {
                    foreach ((byte protocol, ushort port) in Probes)
                    {
                        PolicyDecision decision = engine.Decide(from, to, protocol, port);
                        Assert.True(decision.Verdict == PolicyVerdict.Deny && decision.Reason == DecisionReason.OtherTenant, $"seed {seed}: {from.Name}->{to.Name}: {decision}");
                    }
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AffectedBy_RandomChange_EveryPairDecidedDifferentlyIsInTheImpact()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            (Endpoint[] endpoints, EndpointGroup[] groups, PolicyRule[] rules, PairwiseConnection[] connections) = Scenario(random);
            PolicyEngine before = PolicyLab.Compile(endpoints, groups, rules, connections);

            // One change of each kind at random: a rule dropped and another re-prioritised, a connection
            // dropped, an endpoint relabelled.
            PolicyRule[] changedRules = [.. rules.Where(_ => random.Next(4) != 0).Select(r => random.Next(4) == 0 ? r with { Priority = random.Next(0, 10) } : r)];
            PairwiseConnection[] changedConnections = [.. connections.Where(_ => random.Next(3) != 0)];
            Endpoint[] changedEndpoints = [.. endpoints.Select(e => random.Next(6) == 0 ? e with { Labels = Labels(random) } : e)];
            PolicyEngine after = PolicyLab.Compile(changedEndpoints, groups, changedRules, changedConnections);
            PolicyImpact impact = after.AffectedBy(before);

            foreach (Endpoint from in endpoints)
            {
                foreach (Endpoint to in endpoints)
                {
                    foreach ((byte protocol, ushort port) in Probes)
                    {
                        PolicyDecision was = before.Decide(from.Id, to.Id, protocol, port);
                        PolicyDecision now = after.Decide(from.Id, to.Id, protocol, port);
                        Assert.True(was.Verdict == now.Verdict || impact.Contains(from.Id, to.Id), $"seed {seed}: {from.Name}->{to.Name} {protocol}/{port}: {was} then {now}, not in the impact");
                    }
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AffectedBy_NothingChanged_Empty()
    {
        (Endpoint[] endpoints, EndpointGroup[] groups, PolicyRule[] rules, PairwiseConnection[] connections) = Scenario(new Random(5));
        PolicyEngine before = PolicyLab.Compile(endpoints, groups, rules, connections);

        PolicyImpact impact = PolicyLab.Compile(endpoints.Reverse(), groups, [.. rules.Reverse()], connections).AffectedBy(before);

        Assert.True(impact.IsEmpty);
        Assert.False(impact.Contains(endpoints[0].Id, endpoints[1].Id));
    }

    private static (Endpoint[] Endpoints, EndpointGroup[] Groups, PolicyRule[] Rules, PairwiseConnection[] Connections) Scenario(Random random)
    {
        Endpoint[] endpoints = [.. Enumerable.Range(1, random.Next(2, 10)).Select(i =>
        {
            string tenant = Tenants[random.Next(Tenants.Length)];
            return PolicyLab.Endpoint((uint)i, tenant, $"{tenant}-n{random.Next(2)}") with { Labels = Labels(random) };
        })];
        EndpointGroup[] groups = [.. Tenants.SelectMany(t => Apps.Select(app => PolicyLab.Group($"{t}-{app}", t, ("app", app))))];
        PolicyRule[] rules = [.. Enumerable.Range(0, random.Next(0, 12)).Select(i =>
        {
            string tenant = Tenants[random.Next(Tenants.Length)];
            PolicyPeer peer = random.Next(4) switch
            {
                0 => PolicyPeer.Group($"{tenant}-{Apps[random.Next(Apps.Length)]}"),
                1 => PolicyPeer.Network($"{tenant}-n{random.Next(2)}"),
                2 => PolicyPeer.Tenant(tenant),
                _ => PolicyPeer.InCidr(new Ipv4Subnet(new Ipv4Address(0x0a_01_00_00U), random.Next(2) == 0 ? 24 : 28)),
            };
            PolicyProtocol protocol = (PolicyProtocol)random.Next(4);
            PortRange[] ports = protocol is PolicyProtocol.Tcp or PolicyProtocol.Udp && random.Next(2) == 0 ? [PortRange.Single((ushort)(random.Next(2) == 0 ? 22 : 53))] : [];
            return new PolicyRule(
                $"r{i}", tenant, $"{tenant}-{Apps[random.Next(Apps.Length)]}", (RuleDirection)random.Next(2), [peer], protocol, ports,
                (PolicyAction)random.Next(2), random.Next(0, 5));
        })];
        PairwiseConnection[] connections = [.. Enumerable.Range(0, random.Next(0, 3)).Select(i =>
        {
            Endpoint a = endpoints[random.Next(endpoints.Length)];
            return new PairwiseConnection($"c{i}", a.Tenant, (ConnectionAction)random.Next(2), ConnectionTarget.Endpoint(a.Name), ConnectionTarget.Group($"{a.Tenant}-{Apps[random.Next(Apps.Length)]}"));
        })];
        return (endpoints, groups, rules, connections);
    }

    private static Dictionary<string, string> Labels(Random random) => new() { ["app"] = Apps[random.Next(Apps.Length)] };
}
