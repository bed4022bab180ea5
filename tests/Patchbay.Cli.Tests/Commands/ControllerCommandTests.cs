// `patchbay controller` refuses option values it cannot honour before it starts anything.
namespace Patchbay.Cli.Tests.Commands;

public sealed class ControllerCommandTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("65536")]
    public void Parse_IdleTimeoutOutOfRange_ErrorNamesTheRange(string seconds)
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", "--idle-timeout", seconds]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("--idle-timeout must be 2..65535 seconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("65535")]
    public void Parse_IdleTimeoutInRange_NoError(string seconds)
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", "--idle-timeout", seconds]);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("--packet-in-rate", "0", "--packet-in-rate must be at least 1 packet per second")]
    [InlineData("--packet-in-burst", "0", "--packet-in-burst must be at least 1 packet")]
    [InlineData("--packet-in-budget", "0", "--packet-in-budget must be at least 1 packet per second")]
    [InlineData("--packet-in-budget", "-5", "--packet-in-budget must be at least 1 packet per second")]
    [InlineData("--packet-in-budget-burst", "0", "--packet-in-budget-burst must be at least 1 packet")]
    public void Parse_PacketInLimitBelowOne_ErrorNamesTheFlag(string flag, string value, string expected)
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", flag, value]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_PacketInLimits_NoError()
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", "--packet-in-rate", "500", "--packet-in-burst", "50", "--packet-in-budget", "1000", "--packet-in-budget-burst", "1"]);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    public void Parse_FabricAnnounceIntervalOutOfRange_ErrorNamesTheRange(string seconds)
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", "--fabric-announce-interval", seconds]);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("--fabric-announce-interval must be 0 (off) or 1..3600 seconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("3600")]
    public void Parse_FabricAnnounceIntervalInRange_NoError(string seconds)
    {
        var result = PatchbayCommand.Create().Parse(["controller", "--openflow", "unix:/run/patchbay/test-of.sock", "--fabric-announce-interval", seconds]);

        Assert.Empty(result.Errors);
    }
}
