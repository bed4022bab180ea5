// An IOpenFlowHandler that records what the session told it, for tests to await.
using System.Threading.Channels;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Tests.Connection;

internal sealed class RecordingHandler : IOpenFlowHandler
{
    private readonly Channel<SwitchSession> _connected = Channel.CreateUnbounded<SwitchSession>();
    private readonly Channel<(SwitchSession Session, OfpMessage Message)> _messages = Channel.CreateUnbounded<(SwitchSession, OfpMessage)>();
    private readonly Channel<(SwitchSession Session, SwitchSessionClosed Closed)> _closed = Channel.CreateUnbounded<(SwitchSession, SwitchSessionClosed)>();

    /// <summary>Runs inside OnMessageAsync, so tests can make the handler slow or failing.</summary>
    public Func<OfpMessage, ValueTask>? OnMessage { get; init; }

    public ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken) =>
        _connected.Writer.WriteAsync(session, cancellationToken);

    public async ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        if (OnMessage is not null)
        {
            await OnMessage(message);
        }

        await _messages.Writer.WriteAsync((session, message), cancellationToken);
    }

    /// <summary>The PACKET_INs the session discarded unhandled, in the order it did.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<PacketIn> Discarded { get; } = new();

    public void OnPacketInDiscarded(SwitchSession session, PacketIn packetIn) => Discarded.Enqueue(packetIn);

    public ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed) =>
        _closed.Writer.WriteAsync((session, closed));

    public async Task<SwitchSession> NextConnectedAsync(TimeSpan? timeout = null) =>
        await _connected.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    public async Task<OfpMessage> NextMessageAsync(TimeSpan? timeout = null) =>
        (await _messages.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10))).Message;

    public async Task<(SwitchSession Session, SwitchSessionClosed Closed)> NextClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
}
