// Conversation lifetime on a real 2-host lab with a 3 s idle timeout: idle flows expire from both switches and the
// very next packet builds a new conversation and gets through, cycle after cycle; a burst of one conversation
// reaches the controller only with its first packet (and echoes that raced the setup), in the forward direction only.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Patchbay.Cli.Lab;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.HotPlug;

public sealed partial class HotPlugExpiryTests(ExpiryLabFixture lab) : IClassFixture<ExpiryLabFixture>
{
    private const int ExpiryCycles = 5;

    [Fact]
    public async Task IdleTimeout_FiveCycles_FlowsGoneFromBothSwitchesAndFirstPingOfNewConversationAnswered()
    {
        using var timeout = TestTimeout.Start(150);
        var from = lab.Container("c1");
        var to = lab.Container("c3");
        Assert.NotEqual(from.Host, to.Host);
        using var api = lab.Api();

        // What keeps the first packet after an expiry alive: the agent makes OVS drop idle cached datapath flows after
        // 1 s, long before the 3 s conversation flows expire, so no stale cached "drop" outlives a conversation.
        Assert.Equal("\"1000\"", await lab.VsctlAsync(from.Host, ["get", "Open_vSwitch", ".", "other_config:max-idle"], timeout.Token));
        Assert.Equal("\"1000\"", await lab.VsctlAsync(to.Host, ["get", "Open_vSwitch", ".", "other_config:max-idle"], timeout.Token));

        var failures = new List<string>();
        var seen = new HashSet<string>();
        for (var cycle = 0; cycle <= ExpiryCycles; cycle++)
        {
            // Cycle 0 is the pair's first conversation ever; every later one starts right after the previous expired.
            var ping = await lab.ExecAsync(from.Name, ["ping", "-c", "1", "-W", "2", to.Ip], cancellationToken: timeout.Token);
            if (!ping.Succeeded)
            {
                failures.Add($"cycle {cycle}: the first echo of the new conversation got no reply: {ping.StandardOutput}");
            }

            var conversation = await WaitForAsync(async () => Between(await api.ListConversationsAsync("active", timeout.Token), from, to).SingleOrDefault(), timeout.Token);
            Assert.True(seen.Add(conversation.Id), $"cycle {cycle}: conversation {conversation.Id} was not new");
            var cookie = HotPlugLabFixture.CookieText(conversation.Cookie);
            Assert.Contains(cookie, await lab.DumpFlowsAsync(from.Host, timeout.Token), StringComparison.Ordinal);
            Assert.Contains(cookie, await lab.DumpFlowsAsync(to.Host, timeout.Token), StringComparison.Ordinal);

            var ended = await WaitForAsync(
                async () => (await api.ListConversationsAsync("ended", timeout.Token)).FirstOrDefault(c => c.Id == conversation.Id),
                timeout.Token);
            Assert.Equal("ended", ended.State);
            await WaitForAsync(
                async () => !(await lab.DumpFlowsAsync(from.Host, timeout.Token)).Contains(cookie, StringComparison.Ordinal)
                    && !(await lab.DumpFlowsAsync(to.Host, timeout.Token)).Contains(cookie, StringComparison.Ordinal) ? ended : null,
                timeout.Token);
            Assert.Empty(Between(await api.ListConversationsAsync("active", timeout.Token), from, to));
        }

        Assert.Empty(failures);
    }

    /// <summary>Echoes ping -f may send while the setup is under way: 10 per 100 ms of setup.</summary>
    private const ulong RacingEchoesAtMost = 9;

    [Fact]
    public async Task Burst_ThousandEchoesOfOneConversation_OnePacketInForwardNoneReverse()
    {
        using var timeout = TestTimeout.Start(90);
        var from = lab.Container("c2");
        var to = lab.Container("c4");
        Assert.NotEqual(from.Host, to.Host);
        using var api = lab.Api();

        // Table 20's first-packet flow of a port (priority 1, in_port) is the only way an IPv4 packet reaches the controller.
        var forwardBefore = await FirstPacketCountAsync(from, timeout.Token);
        var reverseBefore = await FirstPacketCountAsync(to, timeout.Token);

        var flood = await lab.ExecAsync(from.Name, ["ping", "-f", "-c", "1000", "-w", "30", to.Ip], TimeSpan.FromSeconds(40), timeout.Token);

        var summary = PingSummary().Match(flood.StandardOutput);
        Assert.True(summary.Success, flood.StandardOutput);
        Assert.Equal(1000, int.Parse(summary.Groups["sent"].Value, CultureInfo.InvariantCulture));
        Assert.True(int.Parse(summary.Groups["received"].Value, CultureInfo.InvariantCulture) >= 990, flood.StandardOutput);
        Assert.DoesNotContain("DUP!", flood.StandardOutput, StringComparison.Ordinal);

        // The controller's side: one conversation. ping -f sends its next echo after 10 ms without a reply, so a
        // setup slower than that (a loaded CI machine) sees a second echo race it: it joins the setup and is counted.
        var conversation = Assert.Single(Between(await api.ListConversationsAsync(cancellationToken: timeout.Token), from, to));
        Assert.Equal(from.Name, conversation.Source);
        Assert.InRange(conversation.PacketIns, 1UL, RacingEchoesAtMost + 1);

        // The switches' side: the source port sent at most those packets to the controller, the destination port none
        // (its replies matched the reverse flows installed with the first packet); every other echo of the 1,000 stayed
        // on the switches. OVS credits cached datapath flows to their OpenFlow flows in its revalidator passes (at least
        // every 0.5 s), so the counters are read once settled.
        await Task.Delay(TimeSpan.FromSeconds(1.5), timeout.Token);
        Assert.InRange(await FirstPacketCountAsync(from, timeout.Token) - forwardBefore, 1UL, conversation.PacketIns);
        Assert.Equal(0UL, await FirstPacketCountAsync(to, timeout.Token) - reverseBefore);
    }

    /// <summary>n_packets of the endpoint's table-20 first-packet flow on its host.</summary>
    private async Task<ulong> FirstPacketCountAsync(LabEndpoint endpoint, CancellationToken cancellationToken)
    {
        var port = endpoint.OvsPort.ToString(CultureInfo.InvariantCulture);
        var flows = await lab.DumpFlowsAsync(endpoint.Host, cancellationToken);
        var line = flows.Split('\n').Single(l => l.Contains(" table=20,", StringComparison.Ordinal) && l.Contains(" priority=1,in_port=" + port + " ", StringComparison.Ordinal));
        return ulong.Parse(NPackets().Match(line).Groups["n"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Conversations between the two containers in either direction (named by endpoint name or address).</summary>
    private static IEnumerable<ConversationView> Between(IReadOnlyList<ConversationView> conversations, LabEndpoint a, LabEndpoint b)
    {
        bool Is(string value, LabEndpoint e) => value == e.Name || value == e.Ip;
        return conversations.Where(c => (Is(c.Source, a) && Is(c.Destination, b)) || (Is(c.Source, b) && Is(c.Destination, a)));
    }

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

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"nothing after {waited.Elapsed.TotalSeconds:F0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex PingSummary();

    [GeneratedRegex(@"n_packets=(?<n>\d+),")]
    private static partial Regex NPackets();
}
