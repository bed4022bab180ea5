// Each test gets a fresh fake server, a client connected to it, and the server's side of that connection.
using Patchbay.Testing.Ovsdb;

namespace Patchbay.Ovsdb.Tests;

public abstract class FakeServerTest : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected FakeOvsdbServer Server { get; private set; } = null!;

    protected OvsdbClient Client { get; private set; } = null!;

    /// <summary>The server's end of the client's connection.</summary>
    protected FakeOvsdbConnection Peer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = FakeOvsdbServer.Start();
        Client = await OvsdbClient.ConnectAsync(OvsdbEndpoint.Parse(Server.Endpoint));
        Peer = await Server.AcceptAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Peer.DisposeAsync();
        await Server.DisposeAsync();
    }
}
