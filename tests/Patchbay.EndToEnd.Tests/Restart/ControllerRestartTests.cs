// Issue 4, point 3 on a real 3-host lab with 51 endpoints: kill -9 the controller while pings run and start it again.
// The model comes back from its data directory, the switches keep forwarding on their own flows (fail-mode secure)
// and lose nothing, the restarted controller adopts the conversation flows that are still right (same cookies, never
// reinstalled), deletes what nobody wants, and a new conversation works within 2 s of the restart.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Patchbay.Cli.Lab;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Patchbay.EndToEnd.Tests.Restart;

/// <summary>3 hosts x 17 containers (51 endpoints) with the default idle timeout.</summary>
public sealed class RestartLabFixture() : HotPlugLabFixture(3, 17, null);

public sealed partial class ControllerRestartTests(RestartLabFixture lab, ITestOutputHelper output) : IClassFixture<RestartLabFixture>
{
    // Cross-host in every direction between the three hosts, and two on one host (c1-c17 on h1, c18-c34 on h2, c35-c51 on h3).
    private static readonly (string From, string To)[] Running = [("c1", "c18"), ("c19", "c35"), ("c36", "c2"), ("c3", "c4"), ("c20", "c21")];

    // Two containers that never talk before the restart.
    private static readonly (string From, string To) Fresh = ("c5", "c40");

    // Foreign to every plan: a conversation cookie for addresses no endpoint has, and an endpoint cookie for a port no endpoint has.
    private const string BogusConversation = "cookie=0x3000000000abcde,table=20,priority=100,ip,metadata=0x1/0xffffffff,nw_src=10.10.99.1,nw_dst=10.10.99.2,actions=drop";
    private const string BogusEndpoint = "cookie=0x200000000000fff,table=0,priority=200,in_port=99,actions=drop";

    // When each host's flows were dumped, on one clock with the restart: a flow's age is read during its host's dump.
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    [Fact]
    public async Task KillNineAndStart_PingsLoseNothingFlowsAdoptedStrayFlowsGoneNewConversationWithinTwoSeconds()
    {
        using var timeout = TestTimeout.Start(110);
        Assert.Equal(51, lab.State.Containers.Count);
        using var api = lab.Api();
        foreach (var host in lab.State.Hosts)
        {
            Assert.Equal("1000", await lab.VsctlAsync(host.Name, ["get", "Controller", ".", "max_backoff"], timeout.Token));
        }

        var hosts = await api.ListHostsAsync(timeout.Token);
        var networks = await api.ListNetworksAsync(timeout.Token);
        var endpoints = await api.ListEndpointsAsync(cancellationToken: timeout.Token);
        Assert.Equal(51, endpoints.Count);

        // About 20 packets per second each, for 12 s, across the restart.
        var pings = Running.Select(p => lab.ExecAsync(p.From, ["ping", "-i", "0.05", "-c", "240", "-w", "30", lab.Container(p.To).Ip], TimeSpan.FromSeconds(40), timeout.Token)).ToList();
        var conversations = await WaitForAsync(
            async () => await api.ListConversationsAsync("active", timeout.Token) is { Count: >= 5 } active && Running.All(p => Between(active, p.From, p.To) is not null) ? active : null,
            timeout.Token);
        var cookies = Running.Select(p => Between(conversations, p.From, p.To)!.Cookie).ToList();

        // The fresh pair's neighbour entry as an earlier ARP answer would have left it (stale: used at once, confirmed
        // later). Otherwise an ARP request lost while the controller is down is retried by the container's kernel only
        // after its 1 s retransmit timer, which measures the container, not the controller.
        var freshTo = lab.Container(Fresh.To);
        Assert.True((await lab.ExecAsync(Fresh.From, ["ip", "neigh", "replace", freshTo.Ip, "lladdr", freshTo.Mac, "dev", "eth0", "nud", "stale"], cancellationToken: timeout.Token)).Succeeded);
        var before = await DumpAllAsync(timeout.Token);

        // (d) A conversation that never existed: an echo every 50 ms from while the controller is down (those go
        // unanswered, as nothing is there to see them), time-stamped by ping itself as the replies arrive.
        Task<ProcessResult>? freshPing = null;
        var sinceRestart = await lab.KillAndRestartControllerAsync(
            async () =>
            {
                freshPing = lab.ExecAsync(Fresh.From, ["ping", "-D", "-n", "-i", "0.05", "-w", "10", freshTo.Ip], TimeSpan.FromSeconds(20), timeout.Token);
                await lab.AddFlowAsync("h2", BogusConversation, timeout.Token);
                await lab.AddFlowAsync("h3", BogusEndpoint, timeout.Token);
            },
            timeout.Token);
        var restartedAt = DateTimeOffset.UtcNow - sinceRestart.Elapsed;
        var restartedOnClock = Clock.Elapsed - sinceRestart.Elapsed;
        var freshResult = await freshPing!;
        TimeSpan? firstAnswer = PingOutput.ReplyTimes(freshResult.StandardOutput) is [var first, ..] ? first - restartedAt : null;

        // (b) Every running ping lost nothing.
        var results = await Task.WhenAll(pings);
        var losses = new List<string>();
        foreach (var ((from, to), result) in Running.Zip(results))
        {
            var summary = PingSummary().Match(result.StandardOutput);
            Assert.True(summary.Success, result.StandardOutput);
            if (summary.Groups["sent"].Value != summary.Groups["received"].Value)
            {
                losses.Add($"{from} -> {to}: {summary.Value}");
            }
        }

        output.WriteLine($"new conversation answered {firstAnswer?.TotalSeconds:F2} s after the restart; pings: {string.Join("; ", results.Select(r => PingSummary().Match(r.StandardOutput).Value))}");
        Assert.Empty(losses);
        Assert.True(firstAnswer is not null, $"no echo of the new conversation within 10 s of the restart:\n{freshResult.StandardOutput}");
        Assert.True(firstAnswer < TimeSpan.FromSeconds(2), $"the new conversation worked {firstAnswer.Value.TotalSeconds:F2} s after the restart");

        // (a) The same model came back.
        Assert.Equal(hosts.Select(Stable), (await api.ListHostsAsync(timeout.Token)).Select(Stable));
        Assert.Equal(networks.Select(Text), (await api.ListNetworksAsync(timeout.Token)).Select(Text));
        Assert.Equal(endpoints.Select(Text), (await api.ListEndpointsAsync(cancellationToken: timeout.Token)).Select(Text));

        // (c) The running conversations' flows are the same flows: same cookies, older than the restart (each flow's
        // age, read during its host's dump, exceeds the time from the restart to the start of that dump), still
        // counting; the controller knows them again under their ids.
        var after = await DumpAllAsync(timeout.Token);
        foreach (var cookie in cookies)
        {
            var text = HotPlugLabFixture.CookieText(cookie);
            var old = before.Values.SelectMany(h => h.Flows).Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
            var now = after.Values.SelectMany(h => h.Flows.Where(l => l.Contains(text, StringComparison.Ordinal)).Select(l => (Line: l, SinceRestart: (h.Started - restartedOnClock).TotalSeconds))).ToList();
            Assert.NotEmpty(old);
            Assert.Equal(old.Select(Rule).Order(), now.Select(n => Rule(n.Line)).Order());
            Assert.All(now, n => Assert.True(Duration(n.Line) > n.SinceRestart, $"flow reinstalled after the restart ({n.SinceRestart:F1} s before its dump): {n.Line}"));
            Assert.True(now.Sum(n => Packets(n.Line)) > old.Sum(Packets), $"the flows of {cookie} stopped counting");
        }

        var adopted = await api.ListConversationsAsync("active", timeout.Token);
        Assert.All(cookies, c => Assert.Contains(adopted, a => a.Cookie == c));

        // (e) Nothing nobody wants: the stray flows are gone, and every switch's other flows are exactly what they were.
        Assert.DoesNotContain(after["h2"].Flows, l => l.Contains("cookie=0x3000000000abcde,", StringComparison.Ordinal));
        Assert.DoesNotContain(after["h3"].Flows, l => l.Contains("cookie=0x200000000000fff,", StringComparison.Ordinal));
        foreach (var host in lab.State.Hosts)
        {
            Assert.Equal(before[host.Name].Flows.Where(IsStatic).Select(Rule).Order(), after[host.Name].Flows.Where(IsStatic).Select(Rule).Order());
        }
    }

    /// <summary>Every host's flows, each host with when (on <see cref="Clock"/>) its dump started.</summary>
    private async Task<Dictionary<string, (List<string> Flows, TimeSpan Started)>> DumpAllAsync(CancellationToken cancellationToken)
    {
        var dumps = new Dictionary<string, (List<string>, TimeSpan)>();
        foreach (var host in lab.State.Hosts)
        {
            var started = Clock.Elapsed;
            List<string> flows = [.. (await lab.DumpFlowsAsync(host.Name, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("cookie=", StringComparison.Ordinal))];
            dumps[host.Name] = (flows, started);
        }

        return dumps;
    }

    private ConversationView? Between(IReadOnlyList<ConversationView> conversations, string a, string b)
    {
        var (ea, eb) = (lab.Container(a), lab.Container(b));
        bool Is(string value, LabEndpoint e) => value == e.Name || value == e.Ip;
        return conversations.FirstOrDefault(c => (Is(c.Source, ea) && Is(c.Destination, eb)) || (Is(c.Source, eb) && Is(c.Destination, ea)));
    }

    private static HostView Stable(HostView host) => host with { State = "", LastSeen = default };

    private static string Text(NetworkView n) => $"{n.Name} {n.Tenant} {n.Subnet} {n.Gateway} {n.GatewayMac} {Text(n.Labels)}";

    private static string Text(EndpointView e) =>
        $"{e.Name} {e.Tenant} {e.Network} {e.Ip}/{e.PrefixLength} {e.Gateway} {e.Mac} {e.Host} {e.OvsPort} {Text(e.Labels)} {e.Created:O}";

    private static string Text(IReadOnlyDictionary<string, string>? labels) =>
        labels is null ? "" : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    // Pipeline (kind 1) and endpoint (kind 2) flows; dump-flows prints cookies without leading zeros.
    private static bool IsStatic(string line) => line.StartsWith("cookie=0x1", StringComparison.Ordinal) || line.StartsWith("cookie=0x2", StringComparison.Ordinal);

    /// <summary>A dump-flows line without its counters and age: cookie, table, timeouts, match and actions.</summary>
    private static string Rule(string line) => Volatile().Replace(line, "");

    private static double Duration(string line) => double.Parse(DurationField().Match(line).Groups["s"].Value, CultureInfo.InvariantCulture);

    private static long Packets(string line) => long.Parse(PacketsField().Match(line).Groups["n"].Value, CultureInfo.InvariantCulture);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken)
        where T : class
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is T found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"nothing after {waited.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex PingSummary();

    [GeneratedRegex(@" (duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*,")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"duration=(?<s>[0-9.]+)s")]
    private static partial Regex DurationField();

    [GeneratedRegex(@"n_packets=(?<n>\d+),")]
    private static partial Regex PacketsField();
}
