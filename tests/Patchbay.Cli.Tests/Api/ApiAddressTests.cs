// Which controller the CLI talks to (--api over PATCHBAY_API over the default socket), and exit code 2 with one
// line naming the address when nothing answers there.
using System.Text.Json.Nodes;
using Patchbay.Cli.Api;

namespace Patchbay.Cli.Tests.Api;

public sealed class ApiAddressTests(CliController controller) : IClassFixture<CliController>
{
    [Fact]
    public async Task Ls_UnreachableSocket_ExitsTwoWithOneLineNamingAddressAndKnobs()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string>(), "network", "ls", "--api", "unix:" + controller.DeadSocket);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        var line = Assert.Single(result.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"patchbay: cannot reach the controller at unix:{controller.DeadSocket} (--api): ", line, StringComparison.Ordinal);
        Assert.EndsWith("point elsewhere with --api or PATCHBAY_API", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_UnreachableTcp_ExitsTwo()
    {
        // Port 9 on loopback inside the test process: nothing listens there, the connection is refused locally.
        var result = await Cli.RunAsync(new Dictionary<string, string>(), "host", "ls", "--api", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("http://127.0.0.1:9", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_PatchbayApiSet_IsUsed()
    {
        await controller.RunAsync("tenant", "create", "env-co");

        var result = await Cli.RunAsync(new Dictionary<string, string> { ["PATCHBAY_API"] = controller.Api }, "tenant", "ls", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(JsonNode.Parse(result.Output)!["items"]!.AsArray(), t => (string?)t!["name"] == "env-co");
    }

    [Fact]
    public async Task Ls_PatchbayApiAsBarePath_IsAUnixSocket()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string> { ["PATCHBAY_API"] = controller.Socket }, "tenant", "ls");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^default\s", result.Output);
    }

    [Fact]
    public async Task Ls_ApiOptionAndVariable_OptionWins()
    {
        var deadVariable = new Dictionary<string, string> { ["PATCHBAY_API"] = "unix:" + controller.DeadSocket };

        var optionWins = await Cli.RunAsync(deadVariable, "tenant", "ls", "--api", controller.Api);
        var variableUsed = await Cli.RunAsync(deadVariable, "tenant", "ls");

        Assert.Equal(0, optionWins.ExitCode);
        Assert.Equal(2, variableUsed.ExitCode);
        Assert.Contains($"unix:{controller.DeadSocket} (PATCHBAY_API)", variableUsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_BadApiAddress_ExitsOne()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string>(), "tenant", "ls", "--api", "ftp://example");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("patchbay: API address 'ftp://example' is neither", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_UnknownOption_ExitsOneWithParserMessage()
    {
        var result = await Cli.RunAsync(new Dictionary<string, string>(), "tenant", "ls", "--no-such-option");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "unix:/run/patchbay/api.sock", "the default")]
    [InlineData(null, "/tmp/x.sock", "unix:/tmp/x.sock", "PATCHBAY_API")]
    [InlineData(null, "  ", "unix:/run/patchbay/api.sock", "the default")]
    [InlineData("http://127.0.0.1:9090", "unix:/a", "http://127.0.0.1:9090", "--api")]
    [InlineData("unix:/b", null, "unix:/b", "--api")]
    public void Resolve_OptionVariableDefault_InThatOrder(string? option, string? variable, string spec, string source)
    {
        var target = ApiTarget.Resolve(option, name => name == "PATCHBAY_API" ? variable : null);

        Assert.Equal(new ApiTarget(spec, source), target);
    }

    [Fact]
    public void ControllerCommand_WithoutApi_ListensOnTheSocketTheCliUsesByDefault()
    {
        var parsed = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/tmp/of.sock"]);

        Assert.Empty(parsed.Errors);
        var api = Assert.Single(parsed.GetValue<Patchbay.Controller.Hosting.ApiAddress[]>("--api")!);
        Assert.Equal("unix:" + ApiTarget.DefaultSocket, api.ToString());
    }
}
