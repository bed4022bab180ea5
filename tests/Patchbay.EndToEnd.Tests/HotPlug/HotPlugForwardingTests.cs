// Issue 3 end to end on a real 3-host lab: every ordered pair of containers reaches the other through hot-plugged
// flows, ARP never reaches the fabric, TCP carries bytes intact, a full-size DF packet crosses hosts (no
// encapsulation), and port security drops forged sources and counts them.
using System.Security.Cryptography;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.HotPlug;

public sealed class HotPlugForwardingTests(ForwardingLabFixture lab) : IClassFixture<ForwardingLabFixture>
{
    [Fact]
    public async Task PingMatrix_EveryOrderedPair_ReachableAndNoArpOnFabric()
    {
        using var timeout = TestTimeout.Start(180);
        await using var capture = ProcessRunner.StartBackground(["ip", "netns", "exec", lab.State.FabricNetns, "tcpdump", "-i", "br0", "-n", "-e", "-l", "arp"]);
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);

        var failures = new List<string>();
        foreach (var from in lab.State.Containers)
        {
            foreach (var to in lab.State.Containers.Where(c => c != from))
            {
                var ping = await lab.ExecAsync(from.Name, ["ping", "-c", "2", "-i", "0.2", "-W", "2", to.Ip], cancellationToken: timeout.Token);
                if (!ping.Succeeded)
                {
                    failures.Add($"{from.Name}({from.Host}) -> {to.Name}({to.Host}) {to.Ip}: {ping.StandardOutput}");
                }
            }
        }

        await capture.StopAsync(TimeSpan.FromSeconds(3));
        Assert.Empty(failures);
        Assert.Equal(30, lab.State.Containers.Count * (lab.State.Containers.Count - 1));
        Assert.Contains("0 packets captured", capture.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpTransfer_FourMegabytesOfRandomData_Sha256MatchesOnFarHost()
    {
        using var timeout = TestTimeout.Start(90);
        var file = Path.Combine(lab.State.Directory, "random.bin");
        var data = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        await File.WriteAllBytesAsync(file, data, timeout.Token);
        var expected = Convert.ToHexStringLower(SHA256.HashData(data));
        var receiver = lab.Container("c6");

        var receive = lab.ExecAsync(receiver.Name, ["timeout", "60", "sh", "-c", "socat -u TCP-LISTEN:5001,reuseaddr - | sha256sum"], TimeSpan.FromSeconds(70), timeout.Token);
        var send = await lab.ExecAsync("c1", ["timeout", "60", "socat", "-u", "FILE:" + file, $"TCP:{receiver.Ip}:5001,retry=50,interval=0.2"], TimeSpan.FromSeconds(70), timeout.Token);
        var received = await receive;

        Assert.True(send.Succeeded, send.StandardError);
        Assert.True(received.Succeeded, received.StandardError);
        Assert.Equal(expected, received.StandardOutput.Split(' ')[0].Trim());
    }

    [Fact]
    public async Task Ping_1472BytesDontFragment_CrossesHosts()
    {
        using var timeout = TestTimeout.Start(30);
        var to = lab.Container("c5");

        var ping = await lab.ExecAsync("c1", ["ping", "-M", "do", "-s", "1472", "-c", "3", "-i", "0.2", "-W", "2", to.Ip], cancellationToken: timeout.Token);

        Assert.True(ping.Succeeded, ping.StandardOutput + ping.StandardError);
        Assert.Contains("3 received", ping.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1480 bytes from", ping.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedSource_MacOrIp_PingsFailAndPortSecurityCounterRises()
    {
        using var timeout = TestTimeout.Start(60);
        var forger = lab.Container("c2");
        var target = lab.Container("c3");
        using var api = lab.Api();
        Assert.True((await lab.ExecAsync(forger.Name, ["ping", "-c", "1", "-W", "2", target.Ip], cancellationToken: timeout.Token)).Succeeded, "the honest ping must pass first");
        var before = await PortSecurityDropsAsync(api, forger.Host, timeout.Token);

        await lab.ExecAsync(forger.Name, ["ip", "link", "set", "eth0", "address", "0e:50:42:ff:ff:01"], cancellationToken: timeout.Token);
        var forgedMac = await lab.ExecAsync(forger.Name, ["ping", "-c", "3", "-i", "0.2", "-W", "1", target.Ip], cancellationToken: timeout.Token);
        await lab.ExecAsync(forger.Name, ["ip", "link", "set", "eth0", "address", forger.Mac], cancellationToken: timeout.Token);
        var afterMac = await PortSecurityDropsAsync(api, forger.Host, timeout.Token);

        await lab.ExecAsync(forger.Name, ["ip", "address", "add", "10.10.200.200/16", "dev", "eth0"], cancellationToken: timeout.Token);
        var forgedIp = await lab.ExecAsync(forger.Name, ["ping", "-I", "10.10.200.200", "-c", "3", "-i", "0.2", "-W", "1", target.Ip], cancellationToken: timeout.Token);
        await lab.ExecAsync(forger.Name, ["ip", "address", "del", "10.10.200.200/16", "dev", "eth0"], cancellationToken: timeout.Token);
        var afterIp = await PortSecurityDropsAsync(api, forger.Host, timeout.Token);

        Assert.False(forgedMac.Succeeded, "a forged source MAC must not get through: " + forgedMac.StandardOutput);
        Assert.False(forgedIp.Succeeded, "a forged source IP must not get through: " + forgedIp.StandardOutput);
        Assert.True(afterMac > before, $"port-security drops on {forger.Host}: {before} before, {afterMac} after the forged MAC");
        Assert.True(afterIp > afterMac, $"port-security drops on {forger.Host}: {afterMac} before, {afterIp} after the forged IP");
        Assert.True((await lab.ExecAsync(forger.Name, ["ping", "-c", "1", "-W", "2", target.Ip], cancellationToken: timeout.Token)).Succeeded, "the honest ping passes again");
    }

    private static async Task<ulong> PortSecurityDropsAsync(PatchbayApiClient api, string host, CancellationToken cancellationToken) =>
        (await api.ListDropsAsync(cancellationToken))
            .Where(d => d.Host == host && d.Reason == "port-security")
            .Aggregate(0UL, (sum, d) => sum + d.Packets);
}
