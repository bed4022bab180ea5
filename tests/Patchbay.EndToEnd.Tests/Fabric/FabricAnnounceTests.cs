// The fabric announcer on a real 3-host lab (docs/isolation.md, "The fabric learns the uplink MACs"): once the
// controller is up, the fabric's Linux bridge has learned every host's uplink MAC on that host's port, so a
// direct-mode ping between containers on h1 and h2 is forwarded to those two hosts only and puts no frame on
// h3's uplink. Before the announcer, the bridge knew only the 06:... MACs and flooded every cross-host frame.
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Fabric;

public sealed class FabricAnnounceTests(ForwardingLabFixture lab) : IClassFixture<ForwardingLabFixture>
{
    [Fact]
    public async Task FabricFdb_ControllerUp_HoldsEachUplinkMacOnItsHostsPort()
    {
        using var timeout = TestTimeout.Start(60);
        using var api = lab.Api();
        IReadOnlyList<HostView> hosts = await api.ListHostsAsync(timeout.Token);
        Assert.Equal(3, hosts.Count);

        // The announcement goes out when a switch becomes ready; the lab is up once every host is, so allow a few polls.
        string fdb = "";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            fdb = (await ProcessRunner.RunAsync(["ip", "netns", "exec", lab.State.FabricNetns, "bridge", "fdb", "show", "br", "br0"], cancellationToken: timeout.Token)).StandardOutput;
            if (hosts.All(h => fdb.Contains($"{h.UplinkMac} dev {h.Name} master br0", StringComparison.OrdinalIgnoreCase)) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }

        foreach (HostView host in hosts)
        {
            Assert.True(fdb.Contains($"{host.UplinkMac} dev {host.Name} master br0", StringComparison.OrdinalIgnoreCase), $"the fabric did not learn {host.Name}'s uplink MAC {host.UplinkMac} on port {host.Name}:\n{fdb}");
        }
    }

    [Fact]
    public async Task Ping_FiftyBetweenH1AndH2_NoFrameOnH3Uplink()
    {
        using var timeout = TestTimeout.Start(90);
        var from = lab.State.Containers.First(c => c.Host == "h1");
        var to = lab.State.Containers.First(c => c.Host == "h2");

        // Everything but broadcasts (the other hosts' announcements) that reaches h3's uplink.
        await using var capture = ProcessRunner.StartBackground(["ip", "netns", "exec", lab.Host("h3").Netns, "tcpdump", "-i", "uplink", "-n", "-e", "-l", "not", "ether", "broadcast"]);
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);

        var ping = await lab.ExecAsync(from.Name, ["ping", "-c", "50", "-i", "0.05", "-W", "2", to.Ip], cancellationToken: timeout.Token);
        await capture.StopAsync(TimeSpan.FromSeconds(3));

        Assert.True(ping.Succeeded, ping.StandardOutput + ping.StandardError);
        Assert.Contains("50 received", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0 packets captured", capture.Output, StringComparison.Ordinal);
    }
}
