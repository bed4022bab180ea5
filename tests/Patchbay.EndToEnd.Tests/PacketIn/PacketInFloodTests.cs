// Issue 5 point 5 on a real 2-host lab: one container floods 50,000 new-conversation packets per second for 5 s (raw
// frames to addresses no endpoint has, each a first packet), while a container on the same host and one on the other
// host open new conversations (5 pings each, to endpoints they have not talked to) and the REST API is polled. Each
// first reply must arrive within 100 ms, every API answer within 500 ms, and the meter (switch) and the budget
// (controller) must both have cut the flood: the meter's band drops most of it, the budget most of what passed.
// The lab controller runs with a budget below the port meter (--packet-in-budget 400) so the budget's share is visible.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Patchbay.EndToEnd.Tests.PacketIn;

/// <summary>2 hosts x 4 containers; the controller restarted once with a PACKET_IN budget below the port meter.</summary>
public sealed class PacketInLabFixture() : HotPlugLabFixture(2, 4, null), IAsyncLifetime
{
    public const int BudgetPps = 400;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        using var timeout = TestTimeout.Start(120);
        await KillAndRestartControllerAsync(() => Task.CompletedTask, timeout.Token, ["--packet-in-budget", BudgetPps.ToString(CultureInfo.InvariantCulture), "--packet-in-budget-burst", "40"]);
        using var api = Api();
        while (true)
        {
            IReadOnlyList<HostView>? hosts = null;
            try
            {
                hosts = await api.ListHostsAsync(timeout.Token);
            }
            catch (HttpRequestException)
            {
                // The restarted controller is not listening yet.
            }

            if (hosts is { Count: 2 } && hosts.All(h => h.State == "connected"))
            {
                return;
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}

public sealed partial class PacketInFloodTests(PacketInLabFixture lab, ITestOutputHelper output) : IClassFixture<PacketInLabFixture>
{
    private const int FloodRate = 50_000;
    private const double FloodSeconds = 5;
    private static readonly TimeSpan SetupBound = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ApiBound = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Flood50kPps_OtherContainersNewConversations_FirstReplyWithin100msApiResponsiveFloodCut()
    {
        using var timeout = TestTimeout.Start(120);
        var h1 = lab.State.Containers.Where(c => c.Host == "h1").ToList();
        var h2 = lab.State.Containers.Where(c => c.Host == "h2").ToList();
        var flooder = h1[0];
        var (near, far) = (h1[1], h2[0]);
        // Each pair is new: the two pingers never talk to each other, and no one has talked yet.
        var nearTargets = h1.Skip(2).Concat(h2.Skip(1)).ToList();
        var farTargets = h2.Skip(1).Concat(h1.Skip(2)).ToList();
        Assert.Equal(5, nearTargets.Count);
        using var api = lab.Api();
        string[] pingers = [near.Name, far.Name];
        Assert.DoesNotContain(await api.ListConversationsAsync("active", timeout.Token), c => pingers.Contains(c.Source) || pingers.Contains(c.Destination));
        var meterBefore = await MeterAsync("h1", flooder.OvsPort, timeout.Token);

        var script = Path.Combine(AppContext.BaseDirectory, "PacketIn", "flood.py");
        var flood = lab.ExecAsync(
            flooder.Name,
            ["python3", script, "eth0", flooder.Mac, flooder.Ip, "02:00:00:00:00:fe", "10.10.128.0", "32768", Str(FloodRate), FloodSeconds.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(60),
            timeout.Token);
        var clock = Stopwatch.StartNew();
        var near1 = PingSeriesAsync(near.Name, nearTargets.Select(t => t.Ip).ToList(), clock, TimeSpan.FromMilliseconds(500), timeout.Token);
        var far1 = PingSeriesAsync(far.Name, farTargets.Select(t => t.Ip).ToList(), clock, TimeSpan.FromMilliseconds(700), timeout.Token);
        var apiTimes = PollApiAsync(clock, timeout.Token);

        var flooded = await flood;
        var nearRtts = await near1;
        var farRtts = await far1;
        var apiAnswers = await apiTimes;
        var meterAfter = await MeterAsync("h1", flooder.OvsPort, timeout.Token);
        var drops = await api.ListDropsAsync(timeout.Token);

        Assert.True(flooded.Succeeded, flooded.StandardOutput + flooded.StandardError);
        using var report = JsonDocument.Parse(flooded.StandardOutput.Trim());
        long sent = report.RootElement.GetProperty("sent").GetInt64();
        double rate = report.RootElement.GetProperty("rate").GetDouble();
        string diagnostics = await DiagnosticsAsync("h1", timeout.Token);
        string measured = $"flood: {sent} frames at {rate:F0}/s; near RTTs {Join(nearRtts)}; far RTTs {Join(farRtts)}; API {Join(apiAnswers)}; " +
            $"meter in {meterAfter.In - meterBefore.In}, band drops {meterAfter.Dropped - meterBefore.Dropped}; drops {string.Join(", ", drops.Where(d => d.Host == "h1").Select(d => $"{d.Reason}={d.Packets}"))}\n{diagnostics}";

        output.WriteLine(measured);

        // A generator far below the claimed rate would not test the claim.
        Assert.True(rate >= 0.8 * FloodRate, $"the flood reached only {rate:F0}/s: {measured}");

        Assert.All(nearRtts.Concat(farRtts), rtt => Assert.True(rtt is TimeSpan t && t <= SetupBound, $"a first reply took {rtt?.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) ?? "forever"} ms (bound {SetupBound.TotalMilliseconds} ms): {measured}"));
        Assert.True(apiAnswers.Count >= 10, $"the API was polled only {apiAnswers.Count} times: {measured}");
        Assert.All(apiAnswers, t => Assert.True(t <= ApiBound, $"GET /v1/hosts took {t.TotalMilliseconds:F0} ms (bound {ApiBound.TotalMilliseconds} ms): {measured}"));

        // The switch's meter cut the flood to about its rate (1000/s by default, burst 100) ...
        ulong metered = meterAfter.In - meterBefore.In;
        ulong passed = metered - (meterAfter.Dropped - meterBefore.Dropped);
        Assert.True(metered >= (ulong)(sent / 2), $"the flooder's meter saw only {metered} of {sent} frames: {measured}");
        Assert.True(passed <= (ulong)((1000 * (FloodSeconds + 1)) + 100), $"the meter let {passed} through: {measured}");
        // ... and the controller's budget (400/s for the host, shared with the pinger's port) discarded most of that.
        ulong budgetDrops = drops.Where(d => d is { Host: "h1", Reason: "packet-in-budget" }).Select(d => d.Packets).SingleOrDefault();
        Assert.True(budgetDrops >= passed / 2, $"the budget discarded only {budgetDrops} of the {passed} that passed the meter: {measured}");
    }

    /// <summary>One ping to each target at start + offset + i s; the RTT of each first reply, or null when none came.</summary>
    private async Task<List<TimeSpan?>> PingSeriesAsync(string container, List<string> targets, Stopwatch clock, TimeSpan offset, CancellationToken cancellationToken)
    {
        var rtts = new List<TimeSpan?>();
        for (int i = 0; i < targets.Count; i++)
        {
            TimeSpan due = offset + TimeSpan.FromSeconds(0.9 * i);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var ping = await lab.ExecAsync(container, ["ping", "-c", "1", "-W", "2", targets[i]], cancellationToken: cancellationToken);
            Match time = RttPattern().Match(ping.StandardOutput);
            rtts.Add(ping.Succeeded && time.Success ? TimeSpan.FromMilliseconds(double.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture)) : null);
        }

        return rtts;
    }

    /// <summary>
    /// GET /v1/hosts every 250 ms while the flood runs, with curl as a user would; how long each answer took by curl's
    /// own clock (connect to last byte), so neither its start-up nor this process's scheduling is counted.
    /// </summary>
    private async Task<List<TimeSpan>> PollApiAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var times = new List<TimeSpan>();
        while (clock.Elapsed < TimeSpan.FromSeconds(FloodSeconds))
        {
            var curl = await ProcessRunner.RunAsync(
                ["curl", "-sS", "--max-time", "10", "--unix-socket", lab.State.ApiSocket, "-w", "\n%{http_code} %{time_total}", "http://patchbay/v1/hosts"],
                cancellationToken: cancellationToken);
            string[] lines = curl.StandardOutput.TrimEnd().Split('\n');
            string[] status = lines[^1].Split(' ');
            Assert.True(status[0] == "200", $"GET /v1/hosts answered {lines[^1]}: {curl.StandardOutput}");
            using var hosts = JsonDocument.Parse(string.Join('\n', lines[..^1]));
            Assert.Equal(2, hosts.RootElement.GetProperty("items").GetArrayLength());
            times.Add(TimeSpan.FromSeconds(double.Parse(status[1], CultureInfo.InvariantCulture)));
            await Task.Delay(250, cancellationToken);
        }

        return times;
    }

    /// <summary>The flooder port's meter: packets in, and packets its drop band dropped (ovs-ofctl meter-stats).</summary>
    private async Task<(ulong In, ulong Dropped)> MeterAsync(string host, uint port, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(["ovs-ofctl", "-O", "OpenFlow13", "meter-stats", Mgmt(host), "meter=" + port.ToString(CultureInfo.InvariantCulture)], cancellationToken: cancellationToken);
        Match counts = MeterPattern().Match(result.StandardOutput);
        Assert.True(counts.Success, $"no meter {port} on {host}: {result.StandardOutput}");
        return (ulong.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture), ulong.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Where the time goes if a bound fails: the host's upcall handling and datapath counters.</summary>
    private async Task<string> DiagnosticsAsync(string host, CancellationToken cancellationToken)
    {
        string control = Path.Combine(lab.Host(host).OvsDirectory, "run", "ovs-vswitchd.ctl");
        var lines = new List<string>();
        foreach (string[] command in new[] { new[] { "upcall/show" }, ["dpctl/show"], ["coverage/show"] })
        {
            var result = await ProcessRunner.TryRunAsync(["ovs-appctl", "-t", control, .. command], timeout: TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
            lines.Add($"ovs-appctl {command[0]} ({host}):\n{string.Join('\n', (result.StandardOutput + result.StandardError).Split('\n').Where(IsTelling).Take(40))}");
        }

        return string.Join('\n', lines);
    }

    private static bool IsTelling(string line) =>
        !line.Contains("coverage", StringComparison.Ordinal) || line.Contains("upcall", StringComparison.Ordinal) || line.Contains("drop", StringComparison.Ordinal);

    private string Mgmt(string host) => "unix:" + Path.Combine(lab.Host(host).OvsDirectory, "run", "pb0.mgmt");

    private static string Join(IEnumerable<TimeSpan?> times) => string.Join(" ", times.Select(t => t is TimeSpan v ? v.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) : "lost"));

    private static string Join(IEnumerable<TimeSpan> times) => Join(times.Select(t => (TimeSpan?)t));

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex RttPattern();

    [GeneratedRegex(@"packet_in_count:(\d+).*?\n\s*0: packet_count:(\d+)", RegexOptions.Singleline)]
    private static partial Regex MeterPattern();
}
