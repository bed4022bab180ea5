// A session whose switch stopped reading: a harness with a bounded send queue, one fake switch with a 4 KiB
// receive buffer, and 16 KiB echo requests (xid 1, 2, ...) sent until one stays pending for 2 s, so the
// socket buffers and the queue are full and the write loop waits (2 s, not less: a write loop a loaded machine
// merely starves would look stalled, and its later writes would upset the counts the tests take). Disposing
// closes the switch, then the harness.
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

internal sealed class StalledSwitch : IAsyncDisposable
{
    private readonly ListenerHarness _harness;

    private StalledSwitch(ListenerHarness harness, FakeSwitchClient client, SwitchSession session)
    {
        _harness = harness;
        Client = client;
        Session = session;
    }

    public FakeSwitchClient Client { get; }

    public SwitchSession Session { get; }

    /// <summary>Sends that completed before one stayed pending.</summary>
    public int Accepted { get; private set; }

    /// <summary>The send that stayed pending; null if all of the limit completed.</summary>
    public Task? Blocked { get; private set; }

    public static async Task<StalledSwitch> StartAsync(int sendQueueCapacity, int limit)
    {
        var harness = ListenerHarness.Start(options: ListenerHarness.QuietOptions with { SendQueueCapacity = sendQueueCapacity });
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1, receiveBufferSize: 4096);
        var stalled = new StalledSwitch(harness, client, session);
        var payload = new byte[16 * 1024];
        for (; stalled.Accepted < limit; stalled.Accepted++)
        {
            Task send = session.SendAsync(new EchoRequest(payload) { Xid = (uint)stalled.Accepted + 1 }).AsTask();
            if (!send.IsCompleted && await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(2))) != send)
            {
                stalled.Blocked = send;
                break;
            }

            await send;
        }

        return stalled;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _harness.DisposeAsync();
    }
}
