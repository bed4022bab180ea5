// Issue #5 point 1 end to end on a real 2-host lab: tenants ta and tb both hold 10.1.0.0/24 with .2 on h1 and .3 on
// h2, made through the CLI as a user would. Both .2s ping their .3 at the same time, ta with 100-byte and tb with
// 200-byte payloads: every ping is answered, tcpdump in each .3's namespace sees only its own tenant's echo
// requests, and the fabric carries plain IPv4 frames whose source MAC is the (host, network) MAC of the sender.
using System.Globalization;
using System.Text.Json.Nodes;
using Patchbay.Cli.Lab;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Isolation;

public sealed class OverlappingTenantsTests(TwoHostLabFixture lab) : IClassFixture<TwoHostLabFixture>
{
    private const int Pings = 10;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConcurrentPings_TwoTenantsSameSubnetSameIpsSameHosts_EachReachesOnlyItsOwnEndpoint()
    {
        using var timeout = TestTimeout.Start(180);
        var api = new Dictionary<string, string> { ["PATCHBAY_API"] = lab.ApiSpec };
        var tenants = new[] { new Tenant("ta", "nta", "a", 100), new Tenant("tb", "ntb", "b", 200) };
        foreach (var tenant in tenants)
        {
            await RunAsync(["tenant", "create", tenant.Name], api);
            await RunAsync(["network", "create", tenant.Network, "--tenant", tenant.Name, "--subnet", "10.1.0.0/24"], api);
            await RunAsync(["lab", "container", "add", tenant.Prefix + "2", "--name", lab.Name, "--host", "h1", "--network", tenant.Network, "--ip", "10.1.0.2"]);
            await RunAsync(["lab", "container", "add", tenant.Prefix + "3", "--name", lab.Name, "--host", "h2", "--network", tenant.Network, "--ip", "10.1.0.3"]);
        }

        var reloaded = HotPlugLab.Load(lab.Name)!;
        await using var fabric = await StartCaptureAsync(["ip", "netns", "exec", lab.State.FabricNetns, "tcpdump", "-i", "br0", "-n", "-e", "-l", "--immediate-mode", "icmp"], "br0", timeout.Token);
        await using var captureA = await StartCaptureAsync(EchoRequests(reloaded, "a3"), "eth0", timeout.Token);
        await using var captureB = await StartCaptureAsync(EchoRequests(reloaded, "b3"), "eth0", timeout.Token);

        var pings = tenants.Select(t => ProcessRunner.TryRunAsync(
            ["ip", "netns", "exec", reloaded.Containers.Single(c => c.Name == t.Prefix + "2").Netns, "ping", "-c", Str(Pings), "-i", "0.2", "-W", "2", "-s", Str(t.PayloadSize), "10.1.0.3"],
            timeout: TimeSpan.FromSeconds(30),
            cancellationToken: timeout.Token)).ToArray();
        var results = await Task.WhenAll(pings);
        await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        await captureA.StopAsync(TimeSpan.FromSeconds(3));
        await captureB.StopAsync(TimeSpan.FromSeconds(3));
        await fabric.StopAsync(TimeSpan.FromSeconds(3));

        for (var i = 0; i < tenants.Length; i++)
        {
            Assert.True(results[i].Succeeded, $"{tenants[i].Prefix}2 -> 10.1.0.3: {results[i].StandardOutput}{results[i].StandardError}");
            Assert.Contains($"{Pings} packets transmitted, {Pings} received", results[i].StandardOutput, StringComparison.Ordinal);
        }

        // Each .3 sees exactly its own tenant's echo requests (ICMP length = payload + 8) and none of the other's.
        Assert.Equal(Pings, EchoLengths(captureA.Output).Count(l => l == 108));
        Assert.Equal(Pings, EchoLengths(captureB.Output).Count(l => l == 208));
        Assert.All(EchoLengths(captureA.Output), l => Assert.Equal(108, l));
        Assert.All(EchoLengths(captureB.Output), l => Assert.Equal(208, l));

        // On the fabric: plain IPv4 (no encapsulation), sources are the (host, network) MACs, destinations the
        // far host's real uplink MAC.
        string h1 = reloaded.Hosts.Single(h => h.Name == "h1").UnderlayIp;
        string h2 = reloaded.Hosts.Single(h => h.Name == "h2").UnderlayIp;
        string h2Uplink = await UplinkMacAsync("h2", api);
        foreach (var tenant in tenants)
        {
            uint network = await NetworkIdAsync(tenant.Network, api);
            string request = $"{NetworkHostMac(h1, network)} > {h2Uplink}, ethertype IPv4 (0x0800), length {14 + 20 + 8 + tenant.PayloadSize}: 10.1.0.2 > 10.1.0.3: ICMP echo request";
            string reply = $"{NetworkHostMac(h2, network)} > ";
            Assert.Equal(Pings, Lines(fabric.Output).Count(l => l.Contains(request, StringComparison.Ordinal)));
            Assert.Equal(Pings, Lines(fabric.Output).Count(l => l.Contains(reply, StringComparison.Ordinal) && l.Contains("ICMP echo reply", StringComparison.Ordinal)));
        }

        Assert.Equal(4 * Pings, Lines(fabric.Output).Count(l => l.Contains("ICMP echo", StringComparison.Ordinal)));
        Assert.All(Lines(fabric.Output).Where(l => l.Contains("ICMP", StringComparison.Ordinal)), l => Assert.Contains("ethertype IPv4 (0x0800)", l, StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> EchoRequests(LabState state, string container) =>
        ["ip", "netns", "exec", state.Containers.Single(c => c.Name == container).Netns, "tcpdump", "-i", "eth0", "-n", "-l", "--immediate-mode", "icmp[icmptype] == icmp-echo"];

    private static async Task<BackgroundProcess> StartCaptureAsync(IReadOnlyList<string> command, string device, CancellationToken cancellationToken)
    {
        var capture = ProcessRunner.StartBackground(command);
        for (var i = 0; i < 100 && !capture.Output.Contains("listening on " + device, StringComparison.Ordinal); i++)
        {
            Assert.False(capture.HasExited, $"'{capture.CommandLine}' exited: {capture.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        Assert.Contains("listening on " + device, capture.Output, StringComparison.Ordinal);
        return capture;
    }

    private static string[] Lines(string output) => output.Split('\n');

    // "IP 10.1.0.2 > 10.1.0.3: ICMP echo request, id 7, seq 1, length 108" -> 108.
    private static List<int> EchoLengths(string output) =>
        [.. Lines(output)
            .Where(l => l.Contains("ICMP echo request", StringComparison.Ordinal))
            .Select(l => int.Parse(l[(l.LastIndexOf("length ", StringComparison.Ordinal) + "length ".Length)..].Trim(), CultureInfo.InvariantCulture))];

    // docs/isolation.md: 06:HH:HH:NN:NN:NN, HH:HH the low 16 bits of the host's underlay address.
    private static string NetworkHostMac(string underlayIp, uint network)
    {
        byte[] ip = System.Net.IPAddress.Parse(underlayIp).GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"06:{ip[2]:x2}:{ip[3]:x2}:{(network >> 16) & 0xff:x2}:{(network >> 8) & 0xff:x2}:{network & 0xff:x2}");
    }

    // The network id is the low 24 bits of its gateway MAC (0a:50:42:NN:NN:NN, docs/model.md).
    private static async Task<uint> NetworkIdAsync(string network, IReadOnlyDictionary<string, string> api)
    {
        var view = JsonNode.Parse((await RunAsync(["network", "inspect", network, "-o", "json"], api)).StandardOutput)!;
        string mac = (string)view["gatewayMac"]!;
        return uint.Parse(mac[^8..].Replace(":", string.Empty, StringComparison.Ordinal), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static async Task<string> UplinkMacAsync(string host, IReadOnlyDictionary<string, string> api) =>
        (string)JsonNode.Parse((await RunAsync(["host", "inspect", host, "-o", "json"], api)).StandardOutput)!["uplinkMac"]!;

    private static async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await ProcessRunner.TryRunAsync([HotPlugLabFixture.Patchbay, .. arguments], environment, CommandTimeout);
        Assert.True(result.Succeeded, $"patchbay {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return result;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Tenant(string Name, string Network, string Prefix, int PayloadSize);
}

/// <summary>2 hosts x 1 container of the lab's own network; the test adds the tenants' containers.</summary>
public sealed class TwoHostLabFixture() : HotPlugLabFixture(2, 1, null);
