// The decision semantics of docs/policy.md: defaults, cross-tenant denial, priorities and ties, peers of
// each kind, protocols and ports, selectors, connect/disconnect, and the granularity the flows need.
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;
using static Patchbay.Core.Tests.Policy.PolicyLab;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyEngineTests
{
    private const string Acme = "acme";
    private const string Zeta = "zeta";

    private static readonly Endpoint Web1 = Endpoint(1, Acme, "blue", ("app", "web"));
    private static readonly Endpoint Db = Endpoint(2, Acme, "blue", ("app", "db"));
    private static readonly Endpoint Web2 = Endpoint(3, Acme, "green", ("app", "web"));
    private static readonly Endpoint Api = Endpoint(4, Acme, "green", ("app", "api"), ("tier", "back"));
    private static readonly Endpoint Foreign = Endpoint(5, Zeta, "red", ("app", "web"));
    private static readonly Endpoint[] All = [Web1, Db, Web2, Api, Foreign];

    private static readonly EndpointGroup WebGroup = Group("web", Acme, ("app", "web"));
    private static readonly EndpointGroup ApiGroup = Group("api", Acme, ("app", "api"));
    private static readonly EndpointGroup DbGroup = Group("db", Acme, ("app", "db"));
    private static readonly EndpointGroup[] Groups = [WebGroup, ApiGroup, DbGroup];

    [Fact]
    public void Decide_SameNetworkNoRules_AllowedByDefaultForThePair()
    {
        PolicyDecision decision = Compile(All).Decide(Web1, Db, IpProtocol.Tcp, 5432);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.SameNetwork, PolicyGranularity.IpPair), decision);
    }

    [Fact]
    public void Decide_OtherNetworkOfTheTenantNoRules_DeniedByDefault()
    {
        PolicyDecision decision = Compile(All).Decide(Web1, Api, IpProtocol.Icmp, 0);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.OtherNetwork, PolicyGranularity.IpPair), decision);
    }

    [Fact]
    public void Decide_OtherTenant_DeniedWhateverConnectsOrCidrsSay()
    {
        // A CIDR covering every address and a connect naming the foreign endpoint: neither reaches across tenants.
        PolicyEngine engine = Compile(
            All,
            Groups,
            [Rule("everything", Acme, "web", RuleDirection.Egress, PolicyPeer.InCidr(Ipv4Subnet.Parse("0.0.0.0/0")), PolicyAction.Allow, 0)],
            [new PairwiseConnection("bridge", Acme, ConnectionAction.Connect, ConnectionTarget.Endpoint(Web1.Name), ConnectionTarget.Endpoint(Foreign.Name))]);

        Assert.Equal(DecisionReason.OtherTenant, engine.Decide(Web1, Foreign, IpProtocol.Tcp, 80).Reason);
        Assert.Equal(PolicyVerdict.Deny, engine.Decide(Web1, Foreign, IpProtocol.Tcp, 80).Verdict);
        Assert.Equal(PolicyVerdict.Deny, engine.Decide(Foreign, Web1, IpProtocol.Tcp, 80).Verdict);
        Assert.True(engine.Decide(Web1, Api, IpProtocol.Tcp, 80).IsAllowed);
    }

    [Fact]
    public void Decide_UnknownEndpoint_Denied()
    {
        PolicyDecision decision = Compile([Web1]).Decide(Web1.Id, 99, IpProtocol.Tcp, 80);

        Assert.Equal(PolicyVerdict.Deny, decision.Verdict);
        Assert.Equal(DecisionReason.UnknownEndpoint, decision.Reason);
    }

    [Fact]
    public void Decide_EgressRuleToOtherNetwork_AllowsThatDirectionOnly()
    {
        PolicyRule rule = Rule("web-to-green", Acme, "web", RuleDirection.Egress, PolicyPeer.Network("green"), PolicyAction.Allow, 100);
        PolicyEngine engine = Compile(All, Groups, [rule]);

        PolicyDecision there = engine.Decide(Web1, Api, IpProtocol.Udp, 53);
        PolicyDecision back = engine.Decide(Api, Web1, IpProtocol.Udp, 53);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Rule, PolicyGranularity.IpPair, rule), there);
        Assert.Equal(DecisionReason.OtherNetwork, back.Reason);
        Assert.False(back.IsAllowed);
    }

    [Fact]
    public void Decide_IngressRuleWithPort_AllowsOnlyThatProtocolAndPortAtPortGranularity()
    {
        PolicyRule rule = Rule("api-from-web", Acme, "api", RuleDirection.Ingress, PolicyPeer.Group("web"), PolicyAction.Allow, 100, PolicyProtocol.Tcp, PortRange.Single(8080));
        PolicyEngine engine = Compile(All, Groups, [rule]);

        PolicyDecision allowed = engine.Decide(Web1, Api, IpProtocol.Tcp, 8080);
        PolicyDecision otherPort = engine.Decide(Web1, Api, IpProtocol.Tcp, 22);
        PolicyDecision otherProtocol = engine.Decide(Web1, Api, IpProtocol.Udp, 8080);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Rule, PolicyGranularity.ProtocolPort, rule), allowed);
        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.OtherNetwork, PolicyGranularity.ProtocolPort), otherPort);
        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.OtherNetwork, PolicyGranularity.ProtocolPort), otherProtocol);
        Assert.False(engine.Decide(Api, Web1, IpProtocol.Tcp, 8080).IsAllowed);
    }

    [Theory]
    [InlineData(7999, false)]
    [InlineData(8000, true)]
    [InlineData(8042, true)]
    [InlineData(8080, true)]
    [InlineData(8081, false)]
    public void Decide_PortRange_BoundsInclusive(int port, bool allowed)
    {
        PolicyRule rule = Rule("range", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Allow, 1, PolicyProtocol.Udp, new PortRange(8000, 8080));

        Assert.Equal(allowed, Compile(All, Groups, [rule]).Decide(Web1, Api, IpProtocol.Udp, (ushort)port).IsAllowed);
    }

    [Fact]
    public void Decide_IcmpDenyInOneNetwork_PingDeniedTcpAllowedAtPortGranularity()
    {
        PolicyRule rule = Rule("no-ping", Acme, "db", RuleDirection.Ingress, PolicyPeer.Tenant(Acme), PolicyAction.Deny, 10, PolicyProtocol.Icmp);
        PolicyEngine engine = Compile(All, Groups, [rule]);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.Rule, PolicyGranularity.ProtocolPort, rule), engine.Decide(Web1, Db, IpProtocol.Icmp, 0));
        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.SameNetwork, PolicyGranularity.ProtocolPort), engine.Decide(Web1, Db, IpProtocol.Tcp, 5432));
        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.SameNetwork, PolicyGranularity.IpPair), engine.Decide(Db, Web1, IpProtocol.Icmp, 0));
    }

    [Fact]
    public void Decide_LowerPriorityNumberWins_WhicheverSideTheRuleIsOn()
    {
        PolicyRule deny = Rule("deny-db", Acme, "db", RuleDirection.Ingress, PolicyPeer.Group("web"), PolicyAction.Deny, 20);
        PolicyRule allow = Rule("allow-db", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("db"), PolicyAction.Allow, 10);

        PolicyDecision allowFirst = Compile(All, Groups, [deny, allow]).Decide(Web1, Db, IpProtocol.Tcp, 5432);
        PolicyDecision denyFirst = Compile(All, Groups, [deny with { Priority = 5 }, allow]).Decide(Web1, Db, IpProtocol.Tcp, 5432);

        Assert.Equal(allow, allowFirst.Rule);
        Assert.True(allowFirst.IsAllowed);
        Assert.Equal("deny-db", denyFirst.Rule!.Name);
        Assert.False(denyFirst.IsAllowed);
    }

    [Fact]
    public void Decide_EqualPriority_DenyWins()
    {
        // "a-allow" sorts before "z-deny" by name, so only the tie rule can make the deny win.
        PolicyRule allow = Rule("a-allow", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Allow, 50);
        PolicyRule deny = Rule("z-deny", Acme, "api", RuleDirection.Ingress, PolicyPeer.Network("blue"), PolicyAction.Deny, 50);

        PolicyDecision decision = Compile(All, Groups, [allow, deny]).Decide(Web1, Api, IpProtocol.Tcp, 80);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.Rule, PolicyGranularity.IpPair, deny), decision);
    }

    public static TheoryData<string, PolicyPeer, bool> Peers => new()
    {
        { "group api", PolicyPeer.Group("api"), true },
        { "group db", PolicyPeer.Group("db"), false },
        { "network green", PolicyPeer.Network("green"), true },
        { "network blue", PolicyPeer.Network("blue"), false },
        { "tenant acme", PolicyPeer.Tenant(Acme), true },
        { "cidr /32 of api", PolicyPeer.InCidr(new Ipv4Subnet(Api.Ip, 32)), true },
        { "cidr /32 of db", PolicyPeer.InCidr(new Ipv4Subnet(Db.Ip, 32)), false },
        { "cidr 10.1.0.0/16", PolicyPeer.InCidr(Ipv4Subnet.Parse("10.1.0.0/16")), true },
    };

    [Theory]
    [MemberData(nameof(Peers))]
    public void Decide_PeerKinds_MatchOnlyTheirEndpoints(string description, PolicyPeer peer, bool allowsWebToApi)
    {
        PolicyRule rule = Rule("r", Acme, "web", RuleDirection.Egress, peer, PolicyAction.Allow, 1);

        PolicyDecision decision = Compile(All, Groups, [rule]).Decide(Web1, Api, IpProtocol.Tcp, 443);

        Assert.True(allowsWebToApi == decision.IsAllowed, $"{description}: {decision}");
    }

    [Fact]
    public void Decide_SeveralPeers_AnyOfThemMatches()
    {
        var rule = new PolicyRule("two", Acme, "web", RuleDirection.Egress, [PolicyPeer.Group("db"), PolicyPeer.Group("api")], PolicyProtocol.Any, [], PolicyAction.Allow, 1);

        Assert.True(Compile(All, Groups, [rule]).Decide(Web1, Api, IpProtocol.Tcp, 443).IsAllowed);
    }

    [Fact]
    public void Decide_NarrowAllowThenBroadAllow_PairGranularity()
    {
        PolicyRule narrow = Rule("narrow", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Allow, 1, PolicyProtocol.Tcp, PortRange.Single(443));
        PolicyRule broad = Rule("broad", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Allow, 2);

        PolicyDecision decision = Compile(All, Groups, [narrow, broad]).Decide(Web1, Api, IpProtocol.Tcp, 443);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Rule, PolicyGranularity.IpPair, narrow), decision);
    }

    [Fact]
    public void Decide_NarrowDenyBehindBroadAllow_NeverWinsSoPairGranularity()
    {
        PolicyRule broad = Rule("broad", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Allow, 1);
        PolicyRule narrow = Rule("narrow", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("api"), PolicyAction.Deny, 2, PolicyProtocol.Tcp, PortRange.Single(22));

        PolicyDecision decision = Compile(All, Groups, [narrow, broad]).Decide(Web1, Api, IpProtocol.Tcp, 22);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Rule, PolicyGranularity.IpPair, broad), decision);
    }

    [Fact]
    public void Decide_Connect_AllowsOtherNetworkBothWaysAndBeatsADenyRule()
    {
        PolicyRule deny = Rule("deny-all", Acme, "web", RuleDirection.Egress, PolicyPeer.Tenant(Acme), PolicyAction.Deny, 0);
        var connect = new PairwiseConnection("web1-api", Acme, ConnectionAction.Connect, ConnectionTarget.Endpoint(Web1.Name), ConnectionTarget.Group("api"));
        PolicyEngine engine = Compile(All, Groups, [deny], [connect]);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Connected, PolicyGranularity.IpPair, Connection: connect), engine.Decide(Web1, Api, IpProtocol.Tcp, 22));
        Assert.Equal(new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Connected, PolicyGranularity.IpPair, Connection: connect), engine.Decide(Api, Web1, IpProtocol.Udp, 53));
        Assert.Equal(deny, engine.Decide(Web1, Db, IpProtocol.Tcp, 22).Rule);
    }

    [Fact]
    public void Decide_Disconnect_DeniesSameNetworkBothWaysAndBeatsAllowRulesAndConnects()
    {
        PolicyRule allow = Rule("allow-all", Acme, "web", RuleDirection.Egress, PolicyPeer.Tenant(Acme), PolicyAction.Allow, 0);
        var connect = new PairwiseConnection("a-connect", Acme, ConnectionAction.Connect, ConnectionTarget.Group("web"), ConnectionTarget.Group("db"));
        var disconnect = new PairwiseConnection("z-disconnect", Acme, ConnectionAction.Disconnect, ConnectionTarget.Endpoint(Db.Name), ConnectionTarget.Endpoint(Web1.Name));
        PolicyEngine engine = Compile(All, Groups, [allow], [connect, disconnect]);

        Assert.Equal(new PolicyDecision(PolicyVerdict.Deny, DecisionReason.Disconnected, PolicyGranularity.IpPair, Connection: disconnect), engine.Decide(Web1, Db, IpProtocol.Icmp, 0));
        Assert.Equal(DecisionReason.Disconnected, engine.Decide(Db, Web1, IpProtocol.Tcp, 80).Reason);
        Assert.Equal(DecisionReason.Rule, engine.Decide(Web1, Api, IpProtocol.Tcp, 80).Reason);
    }

    [Fact]
    public void Compile_SelectorExpressions_MembershipLikeKubernetes()
    {
        EndpointGroup[] groups =
        [
            new("in", Acme, new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("app", SelectorOperator.In, ["api", "db"])])),
            new("notin", Acme, new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("tier", SelectorOperator.NotIn, ["back"])])),
            new("exists", Acme, new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("tier", SelectorOperator.Exists, [])])),
            new("absent", Acme, new LabelSelector(new Dictionary<string, string>(), [new LabelRequirement("tier", SelectorOperator.DoesNotExist, [])])),
            new("web-blue", Acme, new LabelSelector(new Dictionary<string, string> { ["app"] = "web" }, [new LabelRequirement("tier", SelectorOperator.DoesNotExist, [])])),
            new("everyone", Acme, LabelSelector.All),
        ];

        PolicyEngine engine = Compile(All, groups);

        Assert.Equal([Db.Id, Api.Id], engine.MembersOf("in"));
        Assert.Equal([Web1.Id, Db.Id, Web2.Id], engine.MembersOf("notin"));
        Assert.Equal([Api.Id], engine.MembersOf("exists"));
        Assert.Equal([Web1.Id, Db.Id, Web2.Id], engine.MembersOf("absent"));
        Assert.Equal([Web1.Id, Web2.Id], engine.MembersOf("web-blue"));
        Assert.Equal([Web1.Id, Db.Id, Web2.Id, Api.Id], engine.MembersOf("everyone"));
        Assert.Equal(["everyone", "exists", "in"], engine.GroupsOf(Api.Id));
    }

    [Fact]
    public void Compile_RuleOfAnotherTenantsGroup_Refused()
    {
        EndpointGroup zetaGroup = Group("zweb", Zeta, ("app", "web"));
        PolicyRule rule = Rule("reach", Acme, "web", RuleDirection.Egress, PolicyPeer.Group("zweb"), PolicyAction.Allow, 1);

        var error = Assert.Throws<ArgumentException>(() => Compile(All, [.. Groups, zetaGroup], [rule]));

        Assert.Contains("no rule can allow traffic across tenants", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ManyTimes_AllocatesNothing()
    {
        PolicyEngine engine = Compile(
            All,
            Groups,
            [
                Rule("api-from-web", Acme, "api", RuleDirection.Ingress, PolicyPeer.Group("web"), PolicyAction.Allow, 100, PolicyProtocol.Tcp, new PortRange(8000, 8080)),
                Rule("deny-ssh", Acme, "db", RuleDirection.Ingress, PolicyPeer.Tenant(Acme), PolicyAction.Deny, 1, PolicyProtocol.Tcp, PortRange.Single(22)),
            ],
            [new PairwiseConnection("c", Acme, ConnectionAction.Disconnect, ConnectionTarget.Endpoint(Web2.Name), ConnectionTarget.Endpoint(Api.Name))]);
        engine.Decide(Web1.Id, Api.Id, IpProtocol.Tcp, 8080);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int allowed = 0;
        for (int i = 0; i < 1000; i++)
        {
            foreach (Endpoint from in All)
            {
                foreach (Endpoint to in All)
                {
                    allowed += engine.Decide(from.Id, to.Id, IpProtocol.Tcp, (ushort)(8000 + (i % 100))).IsAllowed ? 1 : 0;
                }
            }
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(allowed > 0);
    }
}
