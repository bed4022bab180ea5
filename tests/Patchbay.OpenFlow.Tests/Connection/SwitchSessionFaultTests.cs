// Malformed input: the session answers the OFPT_ERROR the spec names, closes that one connection, and
// every other session and the listener carry on.
using System.Text;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionFaultTests
{
    [Fact]
    public async Task Garbage_FromSwitchA_ClosesAOnlyAndBStillServed()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient a, SwitchSession sessionA) = await harness.ConnectedAsync(0xa);
        await using FakeSwitchClient closesA = a;
        (FakeSwitchClient b, SwitchSession sessionB) = await harness.ConnectedAsync(0xb);
        await using FakeSwitchClient closesB = b;

        await a.SendBytesAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: patchbay\r\nAccept: */*\r\nUser-Agent: garbage/1.0\r\n\r\n"));
        ErrorMsg error = await a.ReceiveAsync<ErrorMsg>();
        bool aClosed = await a.WaitForCloseAsync();
        Task barrier = sessionB.BarrierAsync();
        BarrierRequest request = await b.ReceiveAsync<BarrierRequest>();
        await b.SendAsync(new BarrierReply { Xid = request.Xid });
        await barrier.WaitAsync(TimeSpan.FromSeconds(5));
        await using FakeSwitchClient c = await harness.ConnectAsync();
        await c.HandshakeAsync(0xc);

        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.True(aClosed);
        Assert.Equal(SessionCloseReason.ProtocolError, (await sessionA.Closed).Reason);
        Assert.Equal(SwitchSessionState.Connected, sessionB.State);
        Assert.Equal(0xcUL, (await harness.Handler.NextConnectedAsync()).DatapathId);
    }

    [Fact]
    public async Task WrongVersion_AfterHandshake_AnswersBadVersionWithFirst64Bytes()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        byte[] frame = new EchoRequest(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray()) { Xid = 0x0102_0304 }.ToBytes();
        frame[0] = 0x01;

        await client.SendBytesAsync(frame);
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadVersion, error.Code);
        Assert.Equal(0x0102_0304u, error.Xid);
        Assert.Equal(frame[..64], error.Data.ToArray());
        Assert.True(await client.WaitForCloseAsync());
        Assert.Equal(SessionCloseReason.ProtocolError, (await session.Closed).Reason);
    }

    [Fact]
    public async Task LengthBelowHeader_AnswersBadLengthAndCloses()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        byte[] frame = [0x04, (byte)OfpType.BarrierRequest, 0x00, 0x04, 0, 0, 0, 5];

        await client.SendBytesAsync(frame);
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.BadRequest, error.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadLength, error.Code);
        Assert.Equal(frame, error.Data.ToArray());
        Assert.True(await client.WaitForCloseAsync());
        SwitchSessionClosed closed = await session.Closed;
        Assert.IsType<OpenFlowProtocolException>(closed.Exception);
    }

    [Fact]
    public async Task UnknownMessageType_AnswersBadTypeAndCloses()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, _) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        await client.SendBytesAsync(new byte[] { 0x04, 200, 0x00, 0x08, 0, 0, 0, 6 });
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal((ushort)BadRequestCode.BadType, error.Code);
        Assert.Equal(6u, error.Xid);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Messages_BeforeMalformedFrame_StillDelivered()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, _) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        byte[] good = new BarrierReply { Xid = 77 }.ToBytes();
        byte[] bad = [0x04, 200, 0x00, 0x08, 0, 0, 0, 6];

        await client.SendBytesAsync(good.Concat(bad).ToArray());
        OfpMessage delivered = await harness.Handler.NextMessageAsync();

        Assert.Equal(77u, delivered.Xid);
        Assert.True(await client.WaitForCloseAsync());
    }
}
