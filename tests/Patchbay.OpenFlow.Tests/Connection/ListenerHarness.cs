// A started OpenFlowListener on loopback tcp, a unix socket in a temp dir, or TLS with a certificate
// made for the test, plus the handler that records what it saw. Disposing removes everything.
using Patchbay.OpenFlow.Connection;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public enum TestTransport
{
    Tcp,
    Unix,
    Ssl,
}

internal sealed class ListenerHarness : IAsyncDisposable
{
    private readonly string _directory;

    private ListenerHarness(OpenFlowListener listener, RecordingHandler handler, string directory)
    {
        Listener = listener;
        Handler = handler;
        _directory = directory;
    }

    public OpenFlowListener Listener { get; }

    public RecordingHandler Handler { get; }

    public OpenFlowEndpoint Endpoint => Listener.Endpoints[0];

    /// <summary>
    /// Short timeouts so failures show quickly, but no keepalive traffic during a test: the fake switch
    /// then reads exactly the messages the test caused.
    /// </summary>
    public static SwitchSessionOptions QuietOptions { get; } = new()
    {
        EchoInterval = TimeSpan.FromMinutes(5),
        DeadAfter = TimeSpan.FromMinutes(10),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        CloseGracePeriod = TimeSpan.FromSeconds(2),
    };

    public static ListenerHarness Start(TestTransport transport = TestTransport.Tcp, SwitchSessionOptions? options = null, RecordingHandler? handler = null, OpenFlowTlsOptions? tls = null)
    {
        string directory = Directory.CreateTempSubdirectory("pb-of-").FullName;
        OpenFlowEndpoint endpoint = transport switch
        {
            TestTransport.Tcp => OpenFlowEndpoint.Parse("tcp:127.0.0.1:0"),
            TestTransport.Unix => OpenFlowEndpoint.Parse($"unix:{Path.Combine(directory, "of.sock")}"),
            _ => OpenFlowEndpoint.Parse("ssl:127.0.0.1:0", tls ?? new OpenFlowTlsOptions(TestCertificates.SelfSigned("patchbay-controller"))),
        };
        handler ??= new RecordingHandler();
        var listener = new OpenFlowListener([endpoint], handler, options ?? QuietOptions);
        listener.Start();
        return new ListenerHarness(listener, handler, directory);
    }

    public Task<FakeSwitchClient> ConnectAsync(int? receiveBufferSize = null) =>
        FakeSwitchClient.ConnectAsync(Endpoint, receiveBufferSize: receiveBufferSize);

    /// <summary>Connects a fake switch, completes the handshake, and returns both ends.</summary>
    public async Task<(FakeSwitchClient Switch, SwitchSession Session)> ConnectedAsync(ulong datapathId, int? receiveBufferSize = null)
    {
        FakeSwitchClient client = await ConnectAsync(receiveBufferSize);
        await client.HandshakeAsync(datapathId);
        SwitchSession session = await Handler.NextConnectedAsync();
        return (client, session);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
