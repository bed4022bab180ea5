// Issue 5, point 4 on a real 2-host lab: policy changes reach traffic that is already running. A ping at 25 per
// second across hosts stops within 1 s of `patchbay disconnect` returning (no reply after that) and resumes after
// `patchbay connect`, while another pair's conversation keeps its flows (same cookie, never reinstalled, counters
// rising); deleting an endpoint removes its conversation's flows from both switches within 1 s.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Patchbay.EndToEnd.Tests.Policy;

/// <summary>2 hosts x 3 containers (c1-c3 on h1, c4-c6 on h2) with the default idle timeout.</summary>
public sealed class LivePolicyLabFixture() : HotPlugLabFixture(2, 3, null);

public sealed partial class LivePolicyTests(LivePolicyLabFixture lab, ITestOutputHelper output) : IClassFixture<LivePolicyLabFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    // When each host's flows were dumped: a flow's age is read somewhere between the start and the end of its dump.
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    [Fact]
    public async Task DisconnectThenConnect_RunningPing_StopsWithinOneSecondResumesAfterOtherPairUntouched()
    {
        using var timeout = TestTimeout.Start(90);
        using var api = lab.Api();

        // 25 echoes a second for 9 s each: c1 -> c4 is disconnected and connected again, c2 -> c5 runs throughout.
        var cut = lab.ExecAsync("c1", ["ping", "-D", "-i", "0.04", "-w", "9", lab.Container("c4").Ip], TimeSpan.FromSeconds(20), timeout.Token);
        var other = lab.ExecAsync("c2", ["ping", "-i", "0.04", "-w", "9", lab.Container("c5").Ip], TimeSpan.FromSeconds(20), timeout.Token);
        var otherCookie = (await ActiveBetweenAsync(api, "c2", "c5", timeout.Token)).Cookie;
        await ActiveBetweenAsync(api, "c1", "c4", timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token);
        var otherBefore = await FlowsOfAsync(otherCookie, timeout.Token);

        var disconnect = await CliAsync(["disconnect", "c1", "c4", "-o", "json"], timeout.Token);
        var disconnected = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2.5), timeout.Token);

        // Replies may come back before the connect command has exited: the boundary is when it was started.
        var connecting = DateTimeOffset.UtcNow;
        var connect = await CliAsync(["connect", "c1", "c4", "-o", "json"], timeout.Token);

        var cutResult = await cut;
        var otherResult = await other;
        var otherAfter = await FlowsOfAsync(otherCookie, timeout.Token);

        Assert.Equal(1, Revoked(disconnect));
        Assert.True(Revoked(connect) >= 0, connect);
        DateTimeOffset[] replies = PingOutput.ReplyTimes(cutResult.StandardOutput);
        DateTimeOffset[] beforeCut = [.. replies.Where(r => r < connecting)];
        DateTimeOffset[] afterConnect = [.. replies.Where(r => r >= connecting)];
        output.WriteLine($"disconnect returned {disconnected:HH:mm:ss.fff}, connect started {connecting:HH:mm:ss.fff}; last reply before connect {beforeCut.Max():HH:mm:ss.fff}, first after {afterConnect.DefaultIfEmpty().Min():HH:mm:ss.fff}; {replies.Length} replies");

        // The last reply arrives within 1 s of the disconnect returning, and none after it until the connect is sent.
        Assert.NotEmpty(beforeCut);
        Assert.True(beforeCut.Max() <= disconnected + Bound, $"a reply arrived {(beforeCut.Max() - disconnected).TotalMilliseconds:F0} ms after disconnect returned");

        // Loosening takes effect at the next packet: the ping resumes after the connect.
        Assert.True(afterConnect.Length >= 10, $"only {afterConnect.Length} replies after connect:\n{cutResult.StandardOutput}");

        // The other pair's conversation kept its flows: same cookie on both switches, not reinstalled, still counting; its ping lost nothing.
        // A flow kept aged by at least the time from the end of its first dump to the start of its second (less
        // 0.5 s for OVS's clock); one reinstalled in between would have lost its age before, at least 2 s.
        Assert.Equal(otherBefore.Keys.Order(), otherAfter.Keys.Order());
        Assert.Equal(2, otherAfter.Values.Select(f => f.Host).Distinct().Count());
        foreach (var (rule, before) in otherBefore)
        {
            var after = otherAfter[rule];
            double atLeast = (after.DumpStarted - before.DumpEnded).TotalSeconds;
            Assert.True(after.Duration >= before.Duration + atLeast - 0.5, $"flow reinstalled: {before.Duration:F1} s old before, {after.Duration:F1} s old at least {atLeast:F1} s later: {rule}");
            Assert.True(after.Packets > before.Packets, $"flow stopped counting: {rule}");
        }

        var summary = PingSummary().Match(otherResult.StandardOutput);
        Assert.True(summary.Success, otherResult.StandardOutput);
        Assert.Equal(summary.Groups["sent"].Value, summary.Groups["received"].Value);
    }

    [Fact]
    public async Task DeleteEndpoint_RunningPing_ItsFlowsGoneFromBothSwitchesWithinOneSecond()
    {
        using var timeout = TestTimeout.Start(60);
        using var api = lab.Api();
        var ping = lab.ExecAsync("c3", ["ping", "-i", "0.04", "-w", "6", lab.Container("c6").Ip], TimeSpan.FromSeconds(20), timeout.Token);
        var cookie = (await ActiveBetweenAsync(api, "c3", "c6", timeout.Token)).Cookie;
        Assert.Equal(2, (await FlowsOfAsync(cookie, timeout.Token)).Values.Select(f => f.Host).Distinct().Count());

        // Each host is dumped on its own until its first dump without the flows; the slower host's end of that dump
        // bounds when the flows were gone from both (both hosts at once, so neither waits for the other's dump).
        var clock = Stopwatch.StartNew();
        await api.DeleteEndpointAsync("c6", timeout.Token);
        var answered = clock.Elapsed;
        var text = HotPlugLabFixture.CookieText(cookie);
        var perHost = await Task.WhenAll(lab.State.Hosts.Select(async host =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (!(await lab.DumpFlowsAsync(host.Name, timeout.Token)).Contains(text, StringComparison.Ordinal))
                {
                    return (TimeSpan?)clock.Elapsed;
                }
            }

            return null;
        }));
        TimeSpan? gone = perHost.Any(t => t is null) ? null : perHost.Max();

        await ping;
        output.WriteLine($"DELETE answered after {answered.TotalMilliseconds:F0} ms; flows seen gone on both switches after {gone?.TotalMilliseconds:F0} ms");
        Assert.True(gone is not null, "the conversation's flows were still on a switch 5 s after the endpoint was deleted");
        Assert.True(gone < Bound, $"the conversation's flows left both switches {gone.Value.TotalMilliseconds:F0} ms after the delete was sent");
    }

    /// <summary>Runs the patchbay CLI against the lab's controller, as a user would; its standard output.</summary>
    private async Task<string> CliAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ProcessRunner.RunAsync([HotPlugLabFixture.Patchbay, .. arguments, "--api", lab.ApiSpec], timeout: TimeSpan.FromSeconds(20), cancellationToken: cancellationToken)).StandardOutput;

    private static async Task<ConversationView> ActiveBetweenAsync(PatchbayApiClient api, string a, string b, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var active = await api.ListConversationsAsync("active", cancellationToken);
            if (active.FirstOrDefault(c => (c.Source == a && c.Destination == b) || (c.Source == b && c.Destination == a)) is { } found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"no active conversation between {a} and {b} after 10 s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>
    /// The flows with <paramref name="cookie"/> on every host, keyed by host and rule (the line without counters and age),
    /// each with when its host's dump started and ended.
    /// </summary>
    private async Task<Dictionary<string, (string Host, double Duration, long Packets, TimeSpan DumpStarted, TimeSpan DumpEnded)>> FlowsOfAsync(string cookie, CancellationToken cancellationToken)
    {
        var text = HotPlugLabFixture.CookieText(cookie);
        var flows = new Dictionary<string, (string, double, long, TimeSpan, TimeSpan)>();
        foreach (var host in lab.State.Hosts)
        {
            TimeSpan started = Clock.Elapsed;
            string dump = await lab.DumpFlowsAsync(host.Name, cancellationToken);
            TimeSpan ended = Clock.Elapsed;
            foreach (var line in dump.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith(text, StringComparison.Ordinal)))
            {
                flows[host.Name + " " + Volatile().Replace(line, "")] = (
                    host.Name,
                    double.Parse(DurationField().Match(line).Groups["s"].Value, CultureInfo.InvariantCulture),
                    long.Parse(PacketsField().Match(line).Groups["n"].Value, CultureInfo.InvariantCulture),
                    started,
                    ended);
            }
        }

        return flows;
    }

    private static int? Revoked(string json) =>
        JsonDocument.Parse(json).RootElement.TryGetProperty("revoked", out var revoked) ? revoked.GetInt32() : null;

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex PingSummary();

    [GeneratedRegex(@" (duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*,")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"duration=(?<s>[0-9.]+)s")]
    private static partial Regex DurationField();

    [GeneratedRegex(@"n_packets=(?<n>\d+),")]
    private static partial Regex PacketsField();
}
