// Issue 5, point 3 on a real 2-host lab: with one TCP port of the server's group denied (and the rest allowed by
// the same-network default), a TCP exchange on an allowed port carries its bytes across hosts, a connection to the
// denied port never reaches the listener, and `patchbay drops` lists the denial with the rule that made it and a
// packet count above zero.
using System.Text.Json.Nodes;
using Patchbay.EndToEnd.Tests.HotPlug;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Policy;

/// <summary>2 hosts x 1 container: c1 on h1, c2 on h2.</summary>
public sealed class PortPolicyLabFixture() : HotPlugLabFixture(2, 1, null);

public sealed class PortPolicyLabTests(PortPolicyLabFixture lab) : IClassFixture<PortPolicyLabFixture>
{
    private const string DeniedPort = "2323";
    private const string AllowedPort = "8080";

    private const string Policy = """
        groups:
          - name: servers
            tenant: lab
            selector:
              matchLabels: {role: server}
        rules:
          - name: no-telnet
            tenant: lab
            appliesTo: servers
            direction: ingress
            peers: [{tenant: lab}]
            protocol: tcp
            ports: ["2323"]
            action: deny
            priority: 10
        """;

    [Fact]
    public async Task PortRule_AllowedPortCarriesBytesDeniedPortNeverConnects_DropsListTheRule()
    {
        using var timeout = TestTimeout.Start(120);
        var server = lab.Container("c2");
        Assert.NotEqual(lab.Container("c1").Host, server.Host);
        await CliAsync(["endpoint", "label", server.Name, "--label", "role=server"], timeout.Token);
        var policyFile = Path.Combine(lab.State.Directory, "port-policy.yaml");
        await File.WriteAllTextAsync(policyFile, Policy, timeout.Token);
        await CliAsync(["policy", "apply", "-f", policyFile], timeout.Token);

        // Allowed: the server's listener receives exactly what the client sent.
        var allowedListener = lab.ExecAsync(server.Name, ["timeout", "20", "socat", "-u", $"TCP-LISTEN:{AllowedPort},reuseaddr", "-"], TimeSpan.FromSeconds(25), timeout.Token);
        var allowedSend = await lab.ExecAsync("c1", ["timeout", "15", "sh", "-c", $"echo allowed-bytes | socat -u - TCP:{server.Ip}:{AllowedPort},retry=30,interval=0.2"], TimeSpan.FromSeconds(20), timeout.Token);
        var allowedReceived = await allowedListener;

        // Denied: the client retries for a few seconds; the listener gives up after 8 s having received nothing.
        var deniedListener = lab.ExecAsync(server.Name, ["timeout", "8", "socat", "-u", $"TCP-LISTEN:{DeniedPort},reuseaddr", "-"], TimeSpan.FromSeconds(12), timeout.Token);
        var deniedSend = await lab.ExecAsync("c1", ["timeout", "6", "sh", "-c", $"echo denied-bytes | socat -u - TCP:{server.Ip}:{DeniedPort},connect-timeout=2,retry=2,interval=0.5"], TimeSpan.FromSeconds(10), timeout.Token);
        var deniedReceived = await deniedListener;

        var drops = JsonNode.Parse(await CliAsync(["drops", "-o", "json"], timeout.Token))!["items"]!.AsArray();

        Assert.True(allowedSend.Succeeded, allowedSend.StandardError);
        Assert.Equal("allowed-bytes", allowedReceived.StandardOutput.Trim());
        Assert.False(deniedSend.Succeeded, "a connection to the denied port succeeded");
        Assert.DoesNotContain("denied-bytes", deniedReceived.StandardOutput, StringComparison.Ordinal);
        var denial = Assert.Single(drops, d => (string?)d!["rule"] == "no-telnet");
        Assert.Equal(("c1", server.Name, "tcp/" + DeniedPort, "rule"), ((string?)denial!["source"], (string?)denial["destination"], (string?)denial["protocol"], (string?)denial["reason"]));
        Assert.True((ulong)denial["packets"]! > 0, denial.ToJsonString());
        Assert.DoesNotContain(drops, d => (string?)d!["protocol"] == "tcp/" + AllowedPort);
    }

    private async Task<string> CliAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ProcessRunner.RunAsync([HotPlugLabFixture.Patchbay, .. arguments, "--api", lab.ApiSpec], timeout: TimeSpan.FromSeconds(20), cancellationToken: cancellationToken)).StandardOutput;
}
