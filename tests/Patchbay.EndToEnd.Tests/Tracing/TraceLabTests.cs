// `patchbay trace` against a real 3-host lab (real OVS, real controller): after a ping between containers on two
// hosts the trace says delivered, lists the conversation's flows on both switches with the counters
// `ovs-ofctl dump-flows` shows (read before and after the trace, nothing is sent in between), and OVS's own
// `ovs-appctl ofproto/trace` of the same packet on both bridges agrees: forwarded with the same header rewrites.
// For a pair with no conversation the trace says "first packet to controller", and so does ofproto/trace.
using System.Globalization;
using System.Text.RegularExpressions;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Tracing;

public sealed partial class TraceLabTests(ForwardingLabFixture lab) : IClassFixture<ForwardingLabFixture>
{
    [Fact]
    public async Task Trace_AfterCrossHostPing_DeliveredWithDumpFlowsCountersAndOfprotoTraceAgrees()
    {
        using var timeout = TestTimeout.Start(120);
        var from = lab.State.Containers[0];
        var to = lab.State.Containers.First(c => c.Host != from.Host);
        var ping = await lab.ExecAsync(from.Name, ["ping", "-c", "3", "-i", "0.2", "-W", "2", to.Ip], cancellationToken: timeout.Token);
        Assert.True(ping.Succeeded, ping.StandardOutput);
        using var api = lab.Api();

        // OVS's revalidators move datapath flow statistics to the OpenFlow flows every 500 ms or so; let the
        // ping's last packets reach the counters before reading them.
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);

        var before = new[] { await lab.DumpFlowsAsync(from.Host, timeout.Token), await lab.DumpFlowsAsync(to.Host, timeout.Token) };
        var trace = await api.TraceAsync(from.Name, to.Name, cancellationToken: timeout.Token);
        var after = new[] { await lab.DumpFlowsAsync(from.Host, timeout.Token), await lab.DumpFlowsAsync(to.Host, timeout.Token) };

        Assert.Equal(("allow", "delivered", to.Name, false), (trace.Verdict, trace.Result.Outcome, trace.Result.Endpoint, trace.Result.Planned));
        Assert.Equal([from.Host, to.Host], trace.Hops.Select(h => h.Host));
        Assert.All(trace.Hops, h => Assert.Equal("installed", h.Stage));
        Assert.NotNull(trace.Conversation);
        for (int i = 0; i < 2; i++)
        {
            var conversationFlows = trace.Hops[i].Flows.Where(f => f.Cookie == trace.Conversation!.Cookie).ToList();
            Assert.Single(conversationFlows);
            foreach (var flow in trace.Hops[i].Flows)
            {
                ulong low = Packets(before[i], flow), high = Packets(after[i], flow);
                Assert.True(low <= flow.Packets && flow.Packets <= high, $"{trace.Hops[i].Host} {flow.TableName} {flow.Cookie}: trace says {flow.Packets}, dump-flows {low}..{high}");
            }

            Assert.True(conversationFlows[0].Packets >= 3, $"the ping's packets are counted on {trace.Hops[i].Host}");
        }

        // OVS's own trace of the same packet on each bridge: forwarded (not dropped, not to the controller) with
        // the MACs our trace says each switch writes.
        var source = trace.Hops[0];
        var onWire = await OfprotoTraceAsync(from.Host, $"in_port={from.OvsPort},icmp,dl_src={from.Mac},dl_dst={trace.Packet.EthDst},nw_src={from.Ip},nw_dst={to.Ip},icmp_type=8,icmp_code=0", timeout.Token);
        Assert.DoesNotContain("Datapath actions: drop", onWire, StringComparison.Ordinal);
        Assert.DoesNotContain("packet-in", onWire, StringComparison.Ordinal);
        string wireSource = Rewrite(source, "eth_src"), wireDestination = Rewrite(source, "eth_dst");
        Assert.Matches($"set\\(eth\\(src={wireSource},dst={wireDestination}\\)\\)", onWire);

        var far = trace.Hops[1];
        var delivered = await OfprotoTraceAsync(to.Host, $"in_port={far.InPort},icmp,dl_src={wireSource},dl_dst={wireDestination},nw_src={from.Ip},nw_dst={to.Ip},icmp_type=8,icmp_code=0", timeout.Token);
        Assert.DoesNotContain("Datapath actions: drop", delivered, StringComparison.Ordinal);
        Assert.Matches($"set\\(eth\\(src={from.Mac},dst={to.Mac}\\)\\)", delivered);
        Assert.Equal(Rewrite(far, "eth_dst"), to.Mac);
    }

    [Fact]
    public async Task Trace_PairWithoutConversation_FirstPacketToControllerThenPlannedDelivery()
    {
        using var timeout = TestTimeout.Start(60);
        var from = lab.State.Containers[^1];
        var to = lab.State.Containers.First(c => c.Host != from.Host && c != lab.State.Containers[0]);
        using var api = lab.Api();

        var trace = await api.TraceAsync(from.Name, to.Name, "tcp", 8080, timeout.Token);

        Assert.Null(trace.Conversation);
        Assert.Equal(("controller", "installed"), (trace.Hops[0].Outcome, trace.Hops[0].Stage));
        Assert.Contains("first packet to controller", trace.Hops[0].Reason, StringComparison.Ordinal);
        Assert.Equal(["installed", "planned", "planned"], trace.Hops.Select(h => h.Stage));
        Assert.Equal(("delivered", to.Name, true), (trace.Result.Outcome, trace.Result.Endpoint, trace.Result.Planned));
        Assert.Contains(trace.Hops[1].Flows, f => f.Planned && f.TableName == "egress");

        var ovs = await OfprotoTraceAsync(from.Host, $"in_port={from.OvsPort},tcp,dl_src={from.Mac},dl_dst={trace.Packet.EthDst},nw_src={from.Ip},nw_dst={to.Ip},tp_src=40000,tp_dst=8080", timeout.Token);
        Assert.Contains("CONTROLLER", ovs, StringComparison.Ordinal);
    }

    private async Task<string> OfprotoTraceAsync(string host, string flow, CancellationToken cancellationToken)
    {
        // The lab starts ovs-vswitchd with --unixctl=RUNDIR/ovs-vswitchd.ctl (no pid in the name).
        string control = Path.Combine(lab.Host(host).OvsDirectory, "run", "ovs-vswitchd.ctl");
        var result = await ProcessRunner.RunAsync(["ovs-appctl", "-t", control, "ofproto/trace", "pb0", flow], timeout: TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
        return result.StandardOutput;
    }

    private static string Rewrite(TraceHopView hop, string field) => hop.Rewrites.Single(r => r.Field == field).After;

    /// <summary>n_packets of the dump-flows line with the flow's cookie, table and priority.</summary>
    private static ulong Packets(string dump, TraceFlowView flow)
    {
        string cookie = "0x" + ulong.Parse(flow.Cookie.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
        foreach (string line in dump.Split('\n'))
        {
            if (line.Contains($"cookie={cookie},", StringComparison.Ordinal)
                && line.Contains($"table={flow.Table},", StringComparison.Ordinal)
                && (line.Contains($" priority={flow.Priority},", StringComparison.Ordinal) || line.Contains($" priority={flow.Priority} ", StringComparison.Ordinal))
                && PacketCount().Match(line) is { Success: true } count)
            {
                return ulong.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no dump-flows line for table={flow.Table} priority={flow.Priority} cookie={cookie}:\n{dump}");
    }

    [GeneratedRegex(@"n_packets=(\d+),")]
    private static partial Regex PacketCount();
}
