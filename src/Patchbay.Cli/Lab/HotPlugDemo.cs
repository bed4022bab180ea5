// `patchbay lab demo` (what `make demo` runs): a 3-host lab up, then hot-plug routing shown on real traffic:
// a cross-host ping, a TCP transfer, a capture on the fabric (host MACs around container IPs, no
// encapsulation, no ARP) and the controller's conversation table. The lab stays up for exploring.
using System.Diagnostics;
using System.Globalization;
using Patchbay.Agent.HostOs;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Lab;

internal sealed class HotPlugDemo(TextWriter output)
{
    public async Task<int> RunAsync(string name, CancellationToken cancellationToken)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            await output.WriteLineAsync("the lab needs root (network namespaces, OVS daemons): run `make demo` as root.");
            return 1;
        }

        await StepAsync("1. patchbay lab up: 3 hosts x 2 containers, controller and agents");
        LabState state;
        try
        {
            state = await new HotPlugLab(output).UpAsync(new LabOptions(name, 3, 2, null), cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return 1;
        }

        var c1 = state.Containers[0];
        var c3 = state.Containers[2];
        var c2 = state.Containers[1];
        var c5 = state.Containers[4];
        var c6 = state.Containers[5];

        await StepAsync($"2. Cross-host ping {c1.Name} ({c1.Host}) -> {c3.Name} ({c3.Host}): the first packet goes to the controller, which installs flows on both hosts");
        await ShowAsync(c1, ["ping", "-c", "3", "-i", "0.3", c3.Ip], cancellationToken);

        await StepAsync($"3. TCP: iperf3 for 3 s from {c1.Name} ({c1.Host}) to {c6.Name} ({c6.Host})");
        await using (var server = ProcessRunner.StartBackground(["ip", "netns", "exec", c6.Netns, "iperf3", "-s", "-1"]))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var iperf = await ProcessRunner.TryRunAsync(["ip", "netns", "exec", c1.Netns, "iperf3", "-c", c6.Ip, "-t", "3"], timeout: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
            foreach (var line in iperf.StandardOutput.Split('\n').Where(l => l.Contains("sender", StringComparison.Ordinal) || l.Contains("receiver", StringComparison.Ordinal)))
            {
                await output.WriteLineAsync("   " + line);
            }

            await server.StopAsync(TimeSpan.FromSeconds(2));
        }

        await StepAsync($"4. On the wire: tcpdump -e -n -c 6 icmp on the fabric bridge during a ping {c2.Name} ({c2.Host}) -> {c5.Name} ({c5.Host})");
        await output.WriteLineAsync("   Ethernet addresses are the hosts' uplink MACs, IP addresses the containers': no tunnel header, and no ARP crosses the fabric.");
        await using (var capture = ProcessRunner.StartBackground(["ip", "netns", "exec", state.FabricNetns, "tcpdump", "-i", "br0", "-e", "-n", "-l", "-c", "6", "icmp"]))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await ProcessRunner.TryRunAsync(["ip", "netns", "exec", c2.Netns, "ping", "-c", "3", "-i", "0.3", c5.Ip], cancellationToken: cancellationToken);
            var waited = Stopwatch.StartNew();
            while (!capture.HasExited && waited.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            await capture.StopAsync(TimeSpan.FromSeconds(2));
            foreach (var line in capture.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("ICMP", StringComparison.Ordinal)))
            {
                await output.WriteLineAsync("   " + line);
            }
        }

        await StepAsync("5. The controller's conversations (GET /v1/conversations)");
        using (var api = PatchbayApiClient.Create("unix:" + state.ApiSocket, TimeSpan.FromSeconds(10)))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   {"ID",-4} {"SOURCE",-7} {"DEST",-7} {"STATE",-7} {"PACKETS",8} {"BYTES",12} {"PACKET_INS",10}"));
            foreach (var c in await api.ListConversationsAsync(cancellationToken: cancellationToken))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   {c.Id,-4} {c.Source,-7} {c.Destination,-7} {c.State,-7} {c.Packets,8} {c.Bytes,12} {c.PacketIns,10}"));
            }
        }

        var nameOption = name == "pb" ? string.Empty : " --name " + name;
        await StepAsync($"The lab '{name}' is still running. Explore it:");
        await output.WriteLineAsync($"   bin/patchbay lab ls{nameOption}                      hosts and containers (-o json)");
        await output.WriteLineAsync($"   bin/patchbay lab exec{nameOption} c1 -- ping {c3.Ip}    any command inside a container");
        await output.WriteLineAsync($"   curl --unix-socket {state.ApiSocket} http://patchbay/v1/conversations");
        await output.WriteLineAsync($"   logs: {state.ControllerLog}, {state.Directory}/h*/agent.log, {state.Directory}/h*/ovs/log/");
        await output.WriteLineAsync($"Tear it down with: bin/patchbay lab down{nameOption}");
        return 0;
    }

    private async Task ShowAsync(LabEndpoint container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"   $ patchbay lab exec {container.Name} -- {string.Join(' ', command)}");
        var result = await ProcessRunner.TryRunAsync(["ip", "netns", "exec", container.Netns, .. command], timeout: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync("   " + line);
        }
    }

    private async Task StepAsync(string title)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(title);
    }
}
