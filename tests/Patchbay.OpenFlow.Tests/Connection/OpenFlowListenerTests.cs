// The listener: several endpoints at once, stale unix sockets, client-certificate checks, and shutdown.
using System.Net.Sockets;
using System.Security.Authentication;
using Patchbay.OpenFlow.Connection;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class OpenFlowListenerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pb-of-listener-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Start_TcpAndUnixTogether_AcceptsSwitchesOnBoth()
    {
        var handler = new RecordingHandler();
        string path = Path.Combine(_directory, "of.sock");
        await using var listener = new OpenFlowListener(
            [OpenFlowEndpoint.Parse("tcp:127.0.0.1:0"), OpenFlowEndpoint.Parse($"unix:{path}")], handler, ListenerHarness.QuietOptions);
        listener.Start();

        await using FakeSwitchClient overTcp = await FakeSwitchClient.ConnectAsync(listener.Endpoints[0]);
        await overTcp.HandshakeAsync(1);
        await using FakeSwitchClient overUnix = await FakeSwitchClient.ConnectAsync(listener.Endpoints[1]);
        await overUnix.HandshakeAsync(2);
        ulong first = (await handler.NextConnectedAsync()).DatapathId!.Value;
        ulong second = (await handler.NextConnectedAsync()).DatapathId!.Value;

        Assert.NotEqual(0, listener.Endpoints[0].Port);
        Assert.Equal([1UL, 2UL], new[] { first, second }.Order());
    }

    [Fact]
    public async Task Start_StaleUnixSocketFile_RemovesItAndListens()
    {
        // .NET unlinks the file of a socket it bound when the socket closes; moving the file away first
        // leaves it behind the way a crashed controller would.
        string path = Path.Combine(_directory, "stale.sock");
        string bound = Path.Combine(_directory, "bound.sock");
        using (var previous = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            previous.Bind(new UnixDomainSocketEndPoint(bound));
            previous.Listen();
            File.Move(bound, path);
        }

        Assert.True(File.Exists(path));
        var handler = new RecordingHandler();
        await using var listener = new OpenFlowListener([OpenFlowEndpoint.Parse($"unix:{path}")], handler, ListenerHarness.QuietOptions);
        listener.Start();
        await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(listener.Endpoints[0]);
        await client.HandshakeAsync(7);

        Assert.Equal(7UL, (await handler.NextConnectedAsync()).DatapathId);
    }

    [Fact]
    public async Task Start_UnixSocketOfLiveListener_ThrowsAndLeavesItAlone()
    {
        string path = Path.Combine(_directory, "live.sock");
        using var live = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        live.Bind(new UnixDomainSocketEndPoint(path));
        live.Listen();
        await using var listener = new OpenFlowListener([OpenFlowEndpoint.Parse($"unix:{path}")], new RecordingHandler());

        IOException e = Assert.Throws<IOException>(listener.Start);

        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Start_RegularFileAtSocketPath_ThrowsAndKeepsTheFile()
    {
        string path = Path.Combine(_directory, "precious.conf");
        await File.WriteAllTextAsync(path, "keep me");
        await using var listener = new OpenFlowListener([OpenFlowEndpoint.Parse($"unix:{path}")], new RecordingHandler());

        IOException e = Assert.Throws<IOException>(listener.Start);

        Assert.Contains("not a socket", e.Message, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Start_SecondEndpointFails_FirstIsReleased()
    {
        string path = Path.Combine(_directory, "first.sock");
        using var occupied = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string busy = Path.Combine(_directory, "busy.sock");
        occupied.Bind(new UnixDomainSocketEndPoint(busy));
        occupied.Listen();
        await using var listener = new OpenFlowListener(
            [OpenFlowEndpoint.Parse($"unix:{path}"), OpenFlowEndpoint.Parse($"unix:{busy}")], new RecordingHandler());

        Assert.Throws<IOException>(listener.Start);

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task DisposeAsync_WithConnectedSwitch_ClosesSessionAndRemovesSocketFile()
    {
        var handler = new RecordingHandler();
        string path = Path.Combine(_directory, "of.sock");
        var listener = new OpenFlowListener([OpenFlowEndpoint.Parse($"unix:{path}")], handler, ListenerHarness.QuietOptions);
        listener.Start();
        await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(listener.Endpoints[0]);
        await client.HandshakeAsync(1);
        SwitchSession session = await handler.NextConnectedAsync();
        Task pending = session.BarrierAsync();

        await listener.DisposeAsync();

        Assert.Equal(SessionCloseReason.Local, (await session.Closed).Reason);
        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => pending);
        Assert.True(await client.WaitForCloseAsync());
        Assert.False(File.Exists(path));
        Assert.Empty(listener.Sessions);
    }

    [Fact]
    public async Task Ssl_ClientCertificateFromTrustedCa_Accepted()
    {
        using var ca = TestCertificates.Authority("patchbay-test-ca");
        using var clientCertificate = TestCertificates.IssuedBy(ca, "switch-1");
        var tls = new OpenFlowTlsOptions(TestCertificates.SelfSigned("patchbay-controller"), ca);
        await using var harness = ListenerHarness.Start(TestTransport.Ssl, tls: tls);

        await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(harness.Endpoint, clientCertificate);
        await client.HandshakeAsync(0x51);

        Assert.Equal(0x51UL, (await harness.Handler.NextConnectedAsync()).DatapathId);
    }

    [Fact]
    public async Task Ssl_ClientCertificateFromOtherCa_RefusedWhileTrustedSwitchConnects()
    {
        using var ca = TestCertificates.Authority("patchbay-test-ca");
        using var otherCa = TestCertificates.Authority("someone-else");
        using var stranger = TestCertificates.IssuedBy(otherCa, "intruder");
        using var trusted = TestCertificates.IssuedBy(ca, "switch-1");
        var tls = new OpenFlowTlsOptions(TestCertificates.SelfSigned("patchbay-controller"), ca);
        await using var harness = ListenerHarness.Start(TestTransport.Ssl, tls: tls);

        bool strangerRefused = await IsRefusedAsync(harness.Endpoint, stranger);
        bool anonymousRefused = await IsRefusedAsync(harness.Endpoint, null);
        await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(harness.Endpoint, trusted);
        await client.HandshakeAsync(0x52);

        Assert.True(strangerRefused);
        Assert.True(anonymousRefused);
        Assert.Equal(0x52UL, (await harness.Handler.NextConnectedAsync()).DatapathId);
    }

    /// <summary>
    /// Whether the controller refuses the switch: with TLS 1.3 the client may finish its handshake before
    /// the server rejects the certificate, so a refusal shows either as a failed handshake or a closed connection.
    /// </summary>
    private static async Task<bool> IsRefusedAsync(OpenFlowEndpoint endpoint, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        try
        {
            await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(endpoint, certificate);
            await client.SendHelloAsync(OfpConstants.Version13, 1, OfpConstants.Version13);
            return await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return true;
        }
    }
}
