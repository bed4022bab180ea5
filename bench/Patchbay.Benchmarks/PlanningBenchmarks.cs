// Issue #7's first-packet path, the planning part: FlowPlanner.PlanConversation for a new cross-host
// conversation, as the controller plans one per first packet. The model is bench/controllers' patchbay-real
// load: 16 hosts on one segment, 250 endpoints per host in one network, and every plan a different pair of
// endpoints on two different hosts (4,096 random pairs in turn), so the planner's shared parts are looked up
// across a model of that size rather than found hot for one pair.
using BenchmarkDotNet.Attributes;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Packets;

namespace Patchbay.Benchmarks;

[MemoryDiagnoser]
public class PlanningBenchmarks
{
    public const int Hosts = 16;
    public const int EndpointsPerHost = 250;
    private const int Pairs = 4096;

    private static readonly TrafficScope TcpPort = TrafficScope.Of(IpProtocol.Tcp, 8080);

    private readonly FlowPlanner _planner = new(new PlannerOptions());
    private Network _network = null!;
    private Host[] _hosts = [];
    private (Endpoint Source, Endpoint Destination)[] _pairs = [];
    private ulong _conversationId;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7042);
        var subnet = Ipv4Subnet.Parse("10.20.0.0/16");
        _network = new Network(1, "bench", "tenant", subnet, subnet.FirstHost);
        _hosts = new Host[Hosts];
        var endpoints = new Endpoint[Hosts * EndpointsPerHost];
        for (int h = 0; h < Hosts; h++)
        {
            _hosts[h] = new Host(
                $"h{h}", 0x5042_0000_0000UL | (uint)h, new MacAddress(0x02_00_c6_12_00_00UL | (uint)h), 1, new Ipv4Address(0xc6_12_00_00U | (uint)(h + 1)),
                "fabric0", HostState.Connected, DateTimeOffset.UnixEpoch);
            for (int e = 0; e < EndpointsPerHost; e++)
            {
                uint id = (uint)(h * EndpointsPerHost + e + 1);
                endpoints[id - 1] = new Endpoint(
                    id, $"e{id}", "tenant", _network.Name, new Ipv4Address(subnet.Network.Value + id + 1), new MacAddress(0x0e_50_42_00_00_00UL | id),
                    _hosts[h].Name, (uint)(e + 10), new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
            }
        }

        _pairs = new (Endpoint, Endpoint)[Pairs];
        for (int p = 0; p < Pairs; p++)
        {
            int sourceHost = random.Next(Hosts);
            int destinationHost = (sourceHost + 1 + random.Next(Hosts - 1)) % Hosts;
            _pairs[p] = (
                endpoints[(sourceHost * EndpointsPerHost) + random.Next(EndpointsPerHost)],
                endpoints[(destinationHost * EndpointsPerHost) + random.Next(EndpointsPerHost)]);
        }
    }

    /// <summary>One operation = the plan of one cross-host conversation for the whole IP pair.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int PlanCrossHostIpPair() => PlanAll(TrafficScope.IpPair);

    /// <summary>One operation = the plan of one cross-host conversation scoped to tcp/8080.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public int PlanCrossHostTcpPort() => PlanAll(TcpPort);

    private int PlanAll(TrafficScope scope)
    {
        int flows = 0;
        foreach ((Endpoint source, Endpoint destination) in _pairs)
        {
            ConversationPlan plan = _planner.PlanConversation(
                ++_conversationId, source, HostOf(source), destination, HostOf(destination), _network, scope);
            flows += plan.SourceSwitch.Count + plan.DestinationSwitch.Count;
        }

        return flows;
    }

    // Host names are "h0".."h15": the index, without a dictionary lookup in the measured loop.
    private Host HostOf(Endpoint endpoint) => _hosts[(endpoint.Id - 1) / EndpointsPerHost];
}
