// The handshake over every transport: HELLO both ways, version negotiation, FEATURES -> datapath id.
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionHandshakeTests
{
    [Theory]
    [InlineData(TestTransport.Tcp)]
    [InlineData(TestTransport.Unix)]
    [InlineData(TestTransport.Ssl)]
    public async Task Handshake_OverTransport_ReportsDatapathId(TestTransport transport)
    {
        await using var harness = ListenerHarness.Start(transport);
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.HandshakeAsync(0x0000_5eed_cafe_0001);
        SwitchSession session = await harness.Handler.NextConnectedAsync();

        Assert.Equal(0x0000_5eed_cafe_0001UL, session.DatapathId);
        Assert.Equal(SwitchSessionState.Connected, session.State);
        Assert.Equal((byte)254, session.Features!.NTables);
        Assert.Contains(session, harness.Listener.Sessions);
    }

    [Fact]
    public async Task Handshake_ControllerHello_OffersExactlyVersion13()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();

        Hello hello = await client.ReceiveAsync<Hello>();

        Assert.Equal(OfpConstants.Version13, hello.HeaderVersion);
        Assert.True(hello.Offers(OfpConstants.Version13));
        Assert.False(hello.Offers(0x01));
        Assert.False(hello.Offers(0x05));
    }

    [Fact]
    public async Task Handshake_BeforeFeaturesReply_DatapathIdUnknown()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();
        await client.SendHelloAsync(OfpConstants.Version13, 1, OfpConstants.Version13);
        await client.ReceiveAsync<Hello>();
        await client.ReceiveAsync<FeaturesRequest>();

        SwitchSession session = Assert.Single(harness.Listener.Sessions);

        Assert.Equal(SwitchSessionState.Handshaking, session.State);
        Assert.Null(session.DatapathId);
    }

    [Fact]
    public async Task Handshake_Version10OnlyHello_AnswersHelloFailedIncompatibleAndCloses()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.SendHelloAsync(0x01, 7);
        await client.ReceiveAsync<Hello>();
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.HelloFailed, error.ErrorType);
        Assert.Equal((ushort)HelloFailedCode.Incompatible, error.Code);
        Assert.Equal(7u, error.Xid);
        Assert.Contains("OpenFlow 1.3", System.Text.Encoding.ASCII.GetString(error.Data.Span), StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync());
        (SwitchSession session, SwitchSessionClosed closed) = await harness.Handler.NextClosedAsync();
        Assert.Equal(SessionCloseReason.IncompatibleVersion, closed.Reason);
        Assert.Null(session.DatapathId);
    }

    [Fact]
    public async Task Handshake_Version10HelloFollowedBy10Echo_StillAnswersHelloFailed()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();
        byte[] hello = new Hello { Xid = 1, HeaderVersion = 0x01 }.ToBytes();
        byte[] echo = [0x01, (byte)OfpType.EchoRequest, 0x00, 0x08, 0, 0, 0, 2];

        await client.SendBytesAsync(hello.Concat(echo).ToArray());
        await client.ReceiveAsync<Hello>();
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.HelloFailed, error.ErrorType);
        Assert.Equal(1u, error.Xid);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Handshake_BitmapWithoutVersion13_AnswersHelloFailed()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.SendHelloAsync(0x05, 1, 0x01, 0x05);
        await client.ReceiveAsync<Hello>();
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.HelloFailed, error.ErrorType);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(0x04, new byte[] { 0x01, 0x04 })]
    [InlineData(0x06, new byte[] { 0x01, 0x04, 0x06 })]
    [InlineData(0x05, new byte[0])]
    public async Task Handshake_PeerOffering13AmongOthers_Negotiates13(byte headerVersion, byte[] bitmap)
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.SendHelloAsync(headerVersion, 1, bitmap);
        await client.ReceiveAsync<Hello>();
        FeaturesRequest request = await client.ReceiveAsync<FeaturesRequest>();
        await client.SendAsync(FakeSwitchClient.FeaturesReplyFor(42, request.Xid));
        SwitchSession session = await harness.Handler.NextConnectedAsync();

        Assert.Equal(42UL, session.DatapathId);
    }

    [Fact]
    public async Task Handshake_SwitchWritesOneBytePerSegment_StillCompletes()
    {
        // 48 one-byte writes, each after a timer that a loaded machine may fire late: the handshake gets 30 s.
        await using var harness = ListenerHarness.Start(options: ListenerHarness.QuietOptions with { HandshakeTimeout = TimeSpan.FromSeconds(30) });
        await using FakeSwitchClient client = await harness.ConnectAsync();
        byte[] hello = new Hello([HelloElement.VersionBitmap(OfpConstants.Version13)]) { Xid = 1 }.ToBytes();

        foreach (byte b in hello)
        {
            await client.SendBytesAsync(new[] { b });
            await Task.Delay(1);
        }

        await client.ReceiveAsync<Hello>();
        FeaturesRequest request = await client.ReceiveAsync<FeaturesRequest>();
        foreach (byte b in FakeSwitchClient.FeaturesReplyFor(0xfeed, request.Xid).ToBytes())
        {
            await client.SendBytesAsync(new[] { b });
            await Task.Delay(1);
        }

        Assert.Equal(0xfeedUL, (await harness.Handler.NextConnectedAsync()).DatapathId);
    }

    [Fact]
    public async Task Handshake_MessageBeforeHello_AnswersHelloFailedAndCloses()
    {
        await using var harness = ListenerHarness.Start();
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.SendAsync(new BarrierRequest { Xid = 9 });
        await client.ReceiveAsync<Hello>();
        ErrorMsg error = await client.ReceiveAsync<ErrorMsg>();

        Assert.Equal(OfpErrorType.HelloFailed, error.ErrorType);
        Assert.Equal(9u, error.Xid);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Equal(SessionCloseReason.ProtocolError, (await harness.Handler.NextClosedAsync()).Closed.Reason);
    }

    [Fact]
    public async Task Handshake_NoFeaturesReply_ClosesWithHandshakeTimeout()
    {
        // The timeout runs from the session's start, so it leaves room for a loaded machine to read the HELLO first.
        SwitchSessionOptions options = ListenerHarness.QuietOptions with { HandshakeTimeout = TimeSpan.FromSeconds(2) };
        await using var harness = ListenerHarness.Start(options: options);
        await using FakeSwitchClient client = await harness.ConnectAsync();

        await client.SendHelloAsync(OfpConstants.Version13, 1, OfpConstants.Version13);
        await client.ReceiveAsync<Hello>();
        await client.ReceiveAsync<FeaturesRequest>();
        (_, SwitchSessionClosed closed) = await harness.Handler.NextClosedAsync();

        Assert.Equal(SessionCloseReason.HandshakeTimeout, closed.Reason);
        Assert.Contains("FEATURES_REPLY", closed.Detail, StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync());
    }
}
