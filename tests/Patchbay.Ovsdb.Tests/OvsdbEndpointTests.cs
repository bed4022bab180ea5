// Parsing and printing of ovs-vsctl style endpoints, and connecting over TCP on loopback.
using System.Net;
using System.Net.Sockets;

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

    [Fact]
    public async Task ConnectAsync_TcpLoopback_ReachesListener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = OvsdbEndpoint.Tcp("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

        Task<TcpClient> accept = listener.AcceptTcpClientAsync();
        await using Stream stream = await endpoint.ConnectAsync();
        using TcpClient server = await accept.WaitAsync(TimeSpan.FromSeconds(10));
        await stream.WriteAsync("{}"u8.ToArray());
        byte[] received = new byte[2];
        await server.GetStream().ReadExactlyAsync(received);

        Assert.Equal("{}"u8.ToArray(), received);
    }
}
