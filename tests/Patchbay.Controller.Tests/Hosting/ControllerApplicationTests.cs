// The controller as the command runs it: Kestrel on a real unix socket (not the test server), and the
// socket files gone after shutdown.
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Controller.Tests.Hosting;

public sealed class ControllerApplicationTests
{
    [Fact]
    public async Task Run_UnixSockets_ServesApiAndRemovesSocketsOnStop()
    {
        string directory = Directory.CreateTempSubdirectory("pb-ctl-").FullName;
        try
        {
            string api = Path.Combine(directory, "api.sock");
            string openFlow = Path.Combine(directory, "of.sock");
            var options = new ControllerOptions { Api = [ApiAddress.Parse($"unix:{api}")], OpenFlow = [OpenFlowEndpoint.Unix(openFlow)] };
            await using (Microsoft.AspNetCore.Builder.WebApplication app = ControllerApplication.Build(options, builder => builder.Logging.ClearProviders()))
            {
                await app.StartAsync();
                using var client = new HttpClient(new SocketsHttpHandler
                {
                    ConnectCallback = async (_, cancellationToken) =>
                    {
                        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(api), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    },
                })
                {
                    BaseAddress = new Uri("http://patchbay"),
                };

                Assert.Equal("ok", (await client.GetStringAsync("/healthz")).Trim());
                Assert.True(File.Exists(openFlow));
                await app.StopAsync();
            }

            Assert.False(File.Exists(api));
            Assert.False(File.Exists(openFlow));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("unix:/run/pb/api.sock", "unix:/run/pb/api.sock")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("http://localhost:9", "http://127.0.0.1:9")]
    [InlineData("http://[::1]:80", "http://[::1]:80")]
    public void ApiAddressParse_Valid_RoundTrips(string text, string expected)
    {
        Assert.Equal(expected, ApiAddress.Parse(text).ToString());
    }

    [Theory]
    [InlineData("unix:")]
    [InlineData("https://127.0.0.1:443")]
    [InlineData("http://example.com:80")]
    [InlineData("http://127.0.0.1")]
    [InlineData("127.0.0.1:80")]
    [InlineData("http://127.0.0.1:80/v1")]
    public void ApiAddressParse_Invalid_FormatException(string text)
    {
        Assert.Throws<FormatException>(() => ApiAddress.Parse(text));
    }
}
