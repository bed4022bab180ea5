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
}
