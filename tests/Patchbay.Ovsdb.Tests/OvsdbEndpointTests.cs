// Parsing and printing of ovs-vsctl style endpoints.

namespace Patchbay.Ovsdb.Tests;

public sealed class OvsdbEndpointTests
{
    [Theory]
    [InlineData("unix:/var/run/openvswitch/db.sock", OvsdbTransport.Unix, "/var/run/openvswitch/db.sock", null, 0)]
    [InlineData("tcp:127.0.0.1:6640", OvsdbTransport.Tcp, null, "127.0.0.1", 6640)]
    [InlineData("tcp:[::1]:6641", OvsdbTransport.Tcp, null, "::1", 6641)]
    [InlineData("tcp:ovsdb.example:1", OvsdbTransport.Tcp, null, "ovsdb.example", 1)]
    public void Parse_ValidText_ReturnsParts(string text, OvsdbTransport transport, string? path, string? host, int port)
    {
        OvsdbEndpoint endpoint = OvsdbEndpoint.Parse(text);

        Assert.Equal((transport, path, host, port), (endpoint.Transport, endpoint.Path, endpoint.Host, endpoint.Port));
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("unix:")]
    [InlineData("tcp:127.0.0.1")]
    [InlineData("tcp:127.0.0.1:0")]
    [InlineData("tcp:127.0.0.1:65536")]
    [InlineData("tcp::6640")]
    [InlineData("tcp:::1:6640")]
    [InlineData("ssl:127.0.0.1:6640")]
    [InlineData("punix:/tmp/x")]
    public void TryParse_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(OvsdbEndpoint.TryParse(text, out _));
        Assert.Throws<FormatException>(() => OvsdbEndpoint.Parse(text));
    }
}
