// Issue #5's policy targets: decisions per second on one core with 10,000 endpoints, 1,000 groups and
// 10,000 rules (target >= 1,000,000/s, zero allocation), the time to compile that set (every policy or
// endpoint change compiles a new engine), and the time to find what one rule change affects.
// 10 tenants, each with 1,000 endpoints in 2 networks, 100 groups (50 by app, 10 by tier, 40 by app and
// zone) and 1,000 rules (half ingress, half egress; peers of every kind; a third with tcp/udp ports).
using BenchmarkDotNet.Attributes;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;

namespace Patchbay.Benchmarks;

[MemoryDiagnoser]
public class PolicyBenchmarks
{
    public const int Tenants = 10;
    public const int EndpointsPerTenant = 1000;
    public const int GroupsPerTenant = 100;
    public const int RulesPerTenant = 1000;
    private const int Queries = 4096;

    private Endpoint[] _endpoints = [];
    private PolicySet _policies = PolicySet.Empty;
    private PolicySet _changed = PolicySet.Empty;
    private PolicyEngine _engine = null!;
    private PolicyEngine _changedEngine = null!;
    private (uint Source, uint Destination, byte Protocol, ushort Port)[] _queries = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5042);
        var endpoints = new List<Endpoint>();
        var groups = new List<EndpointGroup>();
        var rules = new List<PolicyRule>();
        for (int t = 0; t < Tenants; t++)
        {
            string tenant = $"t{t}";
            for (int i = 0; i < EndpointsPerTenant; i++)
            {
                uint id = (uint)(t * EndpointsPerTenant + i + 1);
                endpoints.Add(new Endpoint(
                    id, $"e{id}", tenant, $"{tenant}-n{i % 2}", new Ipv4Address(0x0a_01_00_00U + (uint)i + 2), new MacAddress(0x0e_50_42_00_00_00UL | id), "h1", id,
                    new Dictionary<string, string> { ["app"] = $"a{i % 50}", ["tier"] = $"t{i % 10}", ["zone"] = $"z{i % 4}" }, DateTimeOffset.UnixEpoch));
            }

            for (int g = 0; g < GroupsPerTenant; g++)
            {
                LabelSelector selector = g switch
                {
                    < 50 => LabelSelector.Labels(("app", $"a{g}")),
                    < 60 => LabelSelector.Labels(("tier", $"t{g - 50}")),
                    _ => new LabelSelector(
                        new Dictionary<string, string> { ["app"] = $"a{g - 60}" },
                        [new LabelRequirement("zone", SelectorOperator.In, [$"z{g % 4}", $"z{(g + 1) % 4}"])]),
                };
                groups.Add(new EndpointGroup($"{tenant}-g{g}", tenant, selector));
            }

            for (int r = 0; r < RulesPerTenant; r++)
            {
                PolicyPeer peer = (r % 4) switch
                {
                    0 or 1 => PolicyPeer.Group($"{tenant}-g{random.Next(GroupsPerTenant)}"),
                    2 => PolicyPeer.Network($"{tenant}-n{random.Next(2)}"),
                    _ => PolicyPeer.InCidr(new Ipv4Subnet(new Ipv4Address(0x0a_01_00_00U + (uint)(random.Next(4) * 256)), 24)),
                };
                PolicyProtocol protocol = (r % 3) switch { 0 => PolicyProtocol.Tcp, 1 => PolicyProtocol.Udp, _ => PolicyProtocol.Any };
                PortRange[] ports = protocol == PolicyProtocol.Any ? [] : [new PortRange((ushort)(1000 + r), (ushort)(1000 + r + random.Next(100)))];
                rules.Add(new PolicyRule(
                    $"{tenant}-r{r}", tenant, $"{tenant}-g{random.Next(GroupsPerTenant)}", r % 2 == 0 ? RuleDirection.Ingress : RuleDirection.Egress,
                    [peer], protocol, ports, random.Next(3) == 0 ? PolicyAction.Deny : PolicyAction.Allow, random.Next(1000)));
            }
        }

        _endpoints = [.. endpoints];
        _policies = PolicySet.Of(groups, rules, []);
        _engine = PolicyEngine.Compile(_policies, _endpoints);
        PolicyRule first = _policies.Rules[0];
        _changed = _policies.Apply(PolicySet.Of([], [first with { Action = first.Action == PolicyAction.Allow ? PolicyAction.Deny : PolicyAction.Allow }], []));
        _changedEngine = PolicyEngine.Compile(_changed, _endpoints);
        _queries = new (uint, uint, byte, ushort)[Queries];
        for (int q = 0; q < Queries; q++)
        {
            int tenant = random.Next(Tenants);
            uint source = (uint)(tenant * EndpointsPerTenant + random.Next(EndpointsPerTenant) + 1);
            uint destination = (uint)(tenant * EndpointsPerTenant + random.Next(EndpointsPerTenant) + 1);
            byte protocol = (q % 3) switch { 0 => IpProtocol.Tcp, 1 => IpProtocol.Udp, _ => IpProtocol.Icmp };
            _queries[q] = (source, destination, protocol, (ushort)(1000 + random.Next(1100)));
        }
    }

    /// <summary>One operation = one decision over random same-tenant pairs, protocols and ports.</summary>
    [Benchmark(OperationsPerInvoke = Queries)]
    public int Decide()
    {
        int allowed = 0;
        foreach ((uint source, uint destination, byte protocol, ushort port) in _queries)
        {
            allowed += _engine.Decide(source, destination, protocol, port).IsAllowed ? 1 : 0;
        }

        return allowed;
    }

    [Benchmark]
    public PolicyEngine Compile() => PolicyEngine.Compile(_policies, _endpoints);

    /// <summary>One rule's action flipped: the impact, then the check of 10,000 conversations against it.</summary>
    [Benchmark]
    public int AffectedByOneRuleOver10000Conversations()
    {
        PolicyImpact impact = _changedEngine.AffectedBy(_engine);
        int affected = 0;
        for (int q = 0; q < 10_000; q++)
        {
            (uint source, uint destination, _, _) = _queries[q % Queries];
            affected += impact.Contains(source, destination) ? 1 : 0;
        }

        return affected;
    }
}
