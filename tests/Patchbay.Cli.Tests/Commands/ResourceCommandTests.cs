// `patchbay tenant|network|endpoint|host|conversation|drop ...` against the real controller on a unix socket:
// the happy paths in table, json and yaml, and every refusal as exit 1 with one line on stderr.
using System.Text.Json;
using System.Text.Json.Nodes;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Tests.Commands;

public sealed class ResourceCommandTests(CliController controller) : IClassFixture<CliController>
{
    [Fact]
    public async Task TenantCreate_Table_PrintsOneAlignedRow()
    {
        var result = await controller.RunAsync("tenant", "create", "acme", "--label", "env=prod");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        var lines = Lines(result.Output);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^NAME\s{3,}LABELS\s{3,}CREATED$", lines[0]);
        Assert.Matches(@"^acme\s{3,}env=prod\s{3,}\d{4}-\d{2}-\d{2}T", lines[1]);
        Assert.Equal(lines[0].IndexOf("LABELS", StringComparison.Ordinal), lines[1].IndexOf("env=prod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TenantCreate_Json_IsTheApiObject()
    {
        var result = await controller.RunAsync("tenant", "create", "json-co", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var tenant = JsonNode.Parse(result.Output)!.AsObject();
        Assert.Equal("json-co", (string?)tenant["name"]);
        Assert.Empty(tenant["labels"]!.AsObject());
        Assert.True(tenant.ContainsKey("created"));
    }

    [Fact]
    public async Task TenantInspect_Yaml_FieldsAsYaml()
    {
        await controller.RunAsync("tenant", "create", "yaml-co", "--label", "tier=true");

        var result = await controller.RunAsync("tenant", "inspect", "yaml-co", "-o", "yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("name: yaml-co\nlabels:\n  tier: \"true\"\ncreated: ", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantLabel_SetAndRemove_ChangesOnlyThoseKeys()
    {
        await controller.RunAsync("tenant", "create", "lab-co", "--label", "a=1", "--label", "b=2");

        var result = await controller.RunAsync("tenant", "label", "lab-co", "--label", "c=3", "--remove", "a", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var labels = JsonNode.Parse(result.Output)!["labels"]!.AsObject();
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, labels.ToDictionary(p => p.Key, p => (string)p.Value!));
    }

    [Fact]
    public async Task TenantLabel_NothingToChange_ExitsOne()
    {
        await controller.RunAsync("tenant", "create", "idle-co");

        var result = await controller.RunAsync("tenant", "label", "idle-co");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("patchbay: nothing to change: give --label KEY=VALUE or --remove KEY\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task TenantRm_Removes_ThenInspectIs404()
    {
        await controller.RunAsync("tenant", "create", "gone-co");

        var removed = await controller.RunAsync("tenant", "rm", "gone-co");
        var inspected = await controller.RunAsync("tenant", "inspect", "gone-co");

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal("tenant 'gone-co' removed\n", removed.Output.ReplaceLineEndings("\n"));
        Assert.Equal(1, inspected.ExitCode);
        Assert.Equal(string.Empty, inspected.Output);
        Assert.Single(Lines(inspected.Error));
        Assert.StartsWith("patchbay: ", inspected.Error, StringComparison.Ordinal);
        Assert.Contains("gone-co", inspected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkCreate_Duplicate_Is409OneLine()
    {
        await controller.RunAsync("tenant", "create", "dup-co");
        var first = await controller.RunAsync("network", "create", "dup-net", "--tenant", "dup-co", "--subnet", "10.50.0.0/24");

        var second = await controller.RunAsync("network", "create", "dup-net", "--tenant", "dup-co", "--subnet", "10.51.0.0/24");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, second.ExitCode);
        Assert.Equal(string.Empty, second.Output);
        var line = Assert.Single(Lines(second.Error));
        Assert.StartsWith("patchbay: ", line, StringComparison.Ordinal);
        Assert.Contains("dup-net", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkCreate_BadSubnet_NamesTheField()
    {
        var result = await controller.RunAsync("network", "create", "bad-net", "--subnet", "10.1.0.0/33");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(Lines(result.Error));
        Assert.StartsWith("patchbay: ", line, StringComparison.Ordinal);
        Assert.Contains("subnet", line, StringComparison.Ordinal);
        Assert.Contains("10.1.0.0/33", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkLs_AllFormats_ShowTheTenantsNetworks()
    {
        await controller.RunAsync("tenant", "create", "ls-co");
        await controller.RunAsync("network", "create", "ls-a", "--tenant", "ls-co", "--subnet", "10.60.0.0/24", "--label", "env=prod");
        await controller.RunAsync("network", "create", "ls-b", "--tenant", "ls-co", "--subnet", "10.61.0.0/24", "--gateway", "10.61.0.254");

        var table = await controller.RunAsync("network", "ls", "--tenant", "ls-co");
        var json = await controller.RunAsync("network", "ls", "--tenant", "ls-co", "-o", "json");
        var yaml = await controller.RunAsync("network", "ls", "--tenant", "ls-co", "-o", "yaml");
        var labelled = await controller.RunAsync("network", "ls", "--label", "env=prod", "-o", "json");

        Assert.Equal(
            [
                "NAME   TENANT   SUBNET         GATEWAY       LABELS",
                "ls-a   ls-co    10.60.0.0/24   10.60.0.1     env=prod",
                "ls-b   ls-co    10.61.0.0/24   10.61.0.254   -",
            ],
            Lines(table.Output));
        var items = JsonNode.Parse(json.Output)!["items"]!.AsArray();
        Assert.Equal(["ls-a", "ls-b"], items.Select(i => (string?)i!["name"]));
        Assert.Equal("10.61.0.254", (string?)items[1]!["gateway"]);
        Assert.Contains("items:\n- name: ls-a\n  tenant: ls-co\n  subnet: \"10.60.0.0/24\"\n", yaml.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(["ls-a"], JsonNode.Parse(labelled.Output)!["items"]!.AsArray().Select(i => (string?)i!["name"]));
    }

    [Fact]
    public async Task NetworkRm_WithEndpoints_Is409_WithoutIsRemoved()
    {
        await RegisterHostAsync("rm-host", 0x51);
        await controller.RunAsync("network", "create", "rm-net", "--subnet", "10.70.0.0/24");
        await controller.RunAsync("endpoint", "create", "rm-ep", "--network", "rm-net", "--host", "rm-host");

        var refused = await controller.RunAsync("network", "rm", "rm-net");
        await controller.RunAsync("endpoint", "rm", "rm-ep");
        var removed = await controller.RunAsync("network", "rm", "rm-net");

        Assert.Equal(1, refused.ExitCode);
        Assert.Single(Lines(refused.Error));
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(1, (await controller.RunAsync("network", "inspect", "rm-net")).ExitCode);
    }

    [Fact]
    public async Task Endpoint_CreateLsInspectLabel_AllThroughTheApi()
    {
        await RegisterHostAsync("ep-host", 0x52);
        await controller.RunAsync("network", "create", "ep-net", "--subnet", "10.80.0.0/24");

        var created = await controller.RunAsync("endpoint", "create", "ep1", "--network", "ep-net", "--host", "ep-host", "--ip", "10.80.0.10", "--label", "role=db", "-o", "json");
        await controller.RunAsync("endpoint", "create", "ep2", "--network", "ep-net", "--host", "ep-host");
        var table = await controller.RunAsync("endpoint", "ls", "--network", "ep-net");
        var byLabel = await controller.RunAsync("endpoint", "ls", "--label", "role=db", "-o", "json");
        var inspected = await controller.RunAsync("endpoint", "inspect", "ep1");
        var labelled = await controller.RunAsync("endpoint", "label", "ep2", "--label", "role=web");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal("10.80.0.10", (string?)JsonNode.Parse(created.Output)!["ip"]);
        var rows = Lines(table.Output);
        Assert.Matches(@"^NAME\s+TENANT\s+NETWORK\s+IP\s+MAC\s+HOST\s+PORT\s+LABELS$", rows[0]);
        Assert.Matches(@"^ep1\s+default\s+ep-net\s+10\.80\.0\.10\s+[0-9a-f:]{17}\s+ep-host\s+-\s+role=db$", rows[1]);
        Assert.Matches(@"^ep2\s+default\s+ep-net\s+10\.80\.0\.2\s+[0-9a-f:]{17}\s+ep-host\s+-\s+-$", rows[2]);
        Assert.Equal(["ep1"], JsonNode.Parse(byLabel.Output)!["items"]!.AsArray().Select(i => (string?)i!["name"]));
        Assert.Matches(@"(?m)^FIELD\s+VALUE$", inspected.Output);
        Assert.Matches(@"(?m)^ip\s+10\.80\.0\.10$", inspected.Output);
        Assert.Matches(@"(?m)^labels\s+role=db$", inspected.Output);
        Assert.Matches(@"(?m)^ep2\s.*\srole=web$", labelled.Output);
    }

    [Fact]
    public async Task EndpointCreate_AddressTaken_Is409OneLine()
    {
        await RegisterHostAsync("ip-host", 0x53);
        await controller.RunAsync("network", "create", "ip-net", "--subnet", "10.90.0.0/24");
        await controller.RunAsync("endpoint", "create", "ip1", "--network", "ip-net", "--host", "ip-host", "--ip", "10.90.0.5");

        var result = await controller.RunAsync("endpoint", "create", "ip2", "--network", "ip-net", "--host", "ip-host", "--ip", "10.90.0.5");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains("10.90.0.5", line, StringComparison.Ordinal);
        Assert.Equal(1, (await controller.RunAsync("endpoint", "inspect", "ip2")).ExitCode);
    }

    [Fact]
    public async Task Host_LsInspectRm()
    {
        await RegisterHostAsync("hx", 0x54);

        var table = await controller.RunAsync("host", "ls");
        var yaml = await controller.RunAsync("host", "inspect", "hx", "-o", "yaml");
        var removed = await controller.RunAsync("host", "rm", "hx");
        var after = await controller.RunAsync("host", "ls", "-o", "json");

        Assert.Matches(@"(?m)^hx\s+registered\s+198\.18\.0\.84\s+fabric\s+0000000000000054\s+02:00:00:00:00:54\s+\d{4}-", table.Output);
        Assert.Contains("name: hx\n", yaml.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("datapathId: \"0000000000000054\"\n", yaml.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(0, removed.ExitCode);
        Assert.DoesNotContain(JsonNode.Parse(after.Output)!["items"]!.AsArray(), h => (string?)h!["name"] == "hx");
    }

    [Fact]
    public async Task Conversation_LsEmpty_InspectUnknownIsOneLine()
    {
        var json = await controller.RunAsync("conversation", "ls", "--state", "active", "-o", "json");
        var table = await controller.RunAsync("conversation", "ls");
        var inspected = await controller.RunAsync("conversation", "inspect", "999");

        Assert.Equal(0, json.ExitCode);
        Assert.Empty(JsonNode.Parse(json.Output)!["items"]!.AsArray());
        Assert.Equal(["ID   TENANT   SOURCE   DESTINATION   MODE   STATE   PACKETS   BYTES   STARTED"], Lines(table.Output));
        Assert.Equal(1, inspected.ExitCode);
        Assert.Single(Lines(inspected.Error));
    }

    [Fact]
    public async Task DropLs_NoSwitches_EmptyList()
    {
        var result = await controller.RunAsync("drop", "ls", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(result.Output).RootElement.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Ls_ManyPages_FollowsContinueToTheEnd()
    {
        using (var client = controller.Client())
        {
            for (var i = 0; i < 150; i++)
            {
                await client.CreateTenantAsync(new TenantCreate($"page-{i:D3}", new Dictionary<string, string> { ["set"] = "paged" }));
            }
        }

        var all = await controller.RunAsync("tenant", "ls", "--label", "set=paged", "-o", "json");
        var first = await controller.RunAsync("tenant", "ls", "--label", "set=paged", "--limit", "2", "-o", "json");
        var token = (string)JsonNode.Parse(first.Output)!["continue"]!;
        var second = await controller.RunAsync("tenant", "ls", "--label", "set=paged", "--limit", "2", "--continue", token);
        var tableHint = await controller.RunAsync("tenant", "ls", "--label", "set=paged", "--limit", "2");

        var names = JsonNode.Parse(all.Output)!["items"]!.AsArray().Select(t => (string)t!["name"]!).ToList();
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"page-{i:D3}"), names);
        Assert.False(JsonNode.Parse(all.Output)!.AsObject().ContainsKey("continue"));
        Assert.Equal(["page-000", "page-001"], JsonNode.Parse(first.Output)!["items"]!.AsArray().Select(t => (string?)t!["name"]));
        Assert.Matches(@"^page-002\s", Lines(second.Output)[1]);
        Assert.Matches(@"^page-003\s", Lines(second.Output)[2]);
        Assert.StartsWith("More tenants: add --continue ", tableHint.Error, StringComparison.Ordinal);
    }

    private async Task RegisterHostAsync(string name, ulong datapathId)
    {
        using var client = controller.Client();
        await client.RegisterHostAsync(new HostRegistration(name, datapathId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), $"02:00:00:00:00:{datapathId:x2}", 1, $"198.18.0.{datapathId}", "fabric"));
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
