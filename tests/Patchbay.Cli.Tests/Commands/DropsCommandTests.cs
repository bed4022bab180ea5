// `patchbay drops` against the real controller on a unix socket: the recent drops the controller holds (arranged
// in its RecentDrops, as the first-packet path records them) as a table with the rule and count, as JSON, and
// filtered by tenant and host (-o json prints the list as {"items": [...]}).
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Patchbay.Controller.State;

namespace Patchbay.Cli.Tests.Commands;

public sealed class DropsCommandTests(CliController controller) : IClassFixture<CliController>, IAsyncLifetime
{
    // The controller is shared by the class's tests: arrange once.
    public Task InitializeAsync()
    {
        RecentDrops drops = controller.Services.GetRequiredService<RecentDrops>();
        if (drops.List().Count > 0)
        {
            return Task.CompletedTask;
        }

        drops.Record(new RecentDropKey("web1", "db1", "tcp/22", "rule", "no-ssh"), "h1", "acme", 1);
        drops.Record(new RecentDropKey("web1", "db1", "tcp/22", "rule", "no-ssh"), "h1", "acme", 41);
        drops.Record(new RecentDropKey("red1", "10.9.0.9", "icmp", "no-route", null), "h2", "zeta", 1);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Drops_Table_SourceDestinationProtocolReasonRuleCount()
    {
        CliResult result = await controller.RunAsync("drops");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["SOURCE", "DESTINATION", "PROTO/PORT", "REASON", "RULE", "COUNT"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(["web1", "db1", "tcp/22", "rule", "no-ssh", "42"]));
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).SequenceEqual(["red1", "10.9.0.9", "icmp", "no-route", "-", "1"]));
    }

    [Fact]
    public async Task Drops_JsonFilteredByTenant_OnlyThatTenantsWithEveryField()
    {
        CliResult result = await controller.RunAsync("drops", "--tenant", "acme", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        JsonNode drop = Assert.Single(JsonNode.Parse(result.Output)!["items"]!.AsArray())!;
        Assert.Equal(("web1", "no-ssh", "h1", 42UL), ((string?)drop["source"], (string?)drop["rule"], (string?)drop["host"], (ulong)drop["packets"]!));
        Assert.NotNull(drop["firstSeen"]);
        Assert.NotNull(drop["lastSeen"]);
    }

    [Fact]
    public async Task Drops_HostWithNone_EmptyJsonList()
    {
        CliResult result = await controller.RunAsync("drops", "--host", "h9", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(JsonNode.Parse(result.Output)!["items"]!.AsArray());
    }
}
