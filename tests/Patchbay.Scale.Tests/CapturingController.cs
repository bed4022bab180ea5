// An in-process controller on Patchbay's listener for the emulated switch's tests: it hands the test the
// session of the switch that connected and every PACKET_IN it receives.
using System.Net;
using System.Threading.Channels;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Scale.Tests;

public sealed class CapturingController : IOpenFlowHandler, IAsyncDisposable
{
    private readonly TaskCompletionSource<SwitchSession> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OpenFlowListener? _listener;

    public Task<SwitchSession> Connected => _connected.Task;

    public Channel<PacketIn> PacketIns { get; } = Channel.CreateUnbounded<PacketIn>();

    public IPEndPoint Start()
    {
        _listener = new OpenFlowListener([OpenFlowEndpoint.Tcp("127.0.0.1", 0)], this);
        _listener.Start();
        return new IPEndPoint(IPAddress.Loopback, _listener.Endpoints[0].Port);
    }

    public ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        _connected.TrySetResult(session);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        if (message is PacketIn packetIn)
        {
            PacketIns.Writer.TryWrite(packetIn);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed) => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }
}
