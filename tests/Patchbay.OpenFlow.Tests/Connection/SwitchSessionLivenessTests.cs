// Echo handling: the session answers the switch's echo requests, probes an idle switch, and closes one
// that stays silent for DeadAfter.
using System.Diagnostics;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionLivenessTests
{
    // DeadAfter leaves room for a loaded test machine to stall a second without a false death.
    private static readonly SwitchSessionOptions Fast = ListenerHarness.QuietOptions with
    {
        EchoInterval = TimeSpan.FromMilliseconds(100),
        DeadAfter = TimeSpan.FromMilliseconds(1500),
    };

    [Fact]
    public async Task EchoRequest_FromSwitch_AnsweredWithSameXidAndData()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, _) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        byte[] data = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3];

        await client.SendAsync(new EchoRequest(data) { Xid = 0x1234_5678 });
        EchoReply reply = await client.ReceiveAsync<EchoReply>();

        Assert.Equal(0x1234_5678u, reply.Xid);
        Assert.Equal(data, reply.Data.ToArray());
    }

    [Fact]
    public async Task SilentSwitch_AfterDeadAfter_ProbedThenClosedAsPeerDead()
    {
        // The clock starts before the handshake, so a late continuation here cannot make the silence look short.
        await using var harness = ListenerHarness.Start(options: Fast);
        var clock = Stopwatch.StartNew();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        SwitchSessionClosed closed = await session.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        TimeSpan elapsed = clock.Elapsed;
        EchoRequest probe = await client.ReceiveAsync<EchoRequest>();

        Assert.Equal(SessionCloseReason.PeerDead, closed.Reason);
        Assert.InRange(elapsed, Fast.DeadAfter / 2, Fast.DeadAfter + TimeSpan.FromSeconds(3));
        Assert.NotEqual(0u, probe.Xid);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task SwitchAnsweringEchoes_BeyondDeadAfter_StaysConnected()
    {
        await using var harness = ListenerHarness.Start(options: Fast);
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        var clock = Stopwatch.StartNew();
        int probes = 0;

        while (clock.Elapsed < Fast.DeadAfter * 2)
        {
            EchoRequest probe = await client.ReceiveAsync<EchoRequest>(TimeSpan.FromSeconds(5));
            await client.SendAsync(new EchoReply(probe.Data) { Xid = probe.Xid });
            probes++;
        }

        Assert.Equal(SwitchSessionState.Connected, session.State);
        Assert.InRange(probes, 3, 1000);
        Assert.False(session.Closed.IsCompleted);
    }
}
