// The smallest controller the lab needs: our OpenFlowListener on a unix socket, remembering every
// switch that completed the handshake and every asynchronous message (PORT_STATUS, PACKET_IN, ...)
// so the demo and the end-to-end tests can wait for exactly the one they expect.
using Microsoft.Extensions.Logging;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Cli.Lab;

/// <summary>An asynchronous message and the switch it came from.</summary>
internal sealed record ReceivedMessage(SwitchSession Session, OfpMessage Message);

internal sealed class LabController : IOpenFlowHandler, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<SwitchSession> _connected = [];
    private readonly List<ReceivedMessage> _received = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OpenFlowListener? _listener;

    private LabController(string socketPath) => SocketPath = socketPath;

    public string SocketPath { get; }

    /// <summary>The controller target to give OVS (Controller.target).</summary>
    public string Target => "unix:" + SocketPath;

    public static LabController Start(string socketPath, ILoggerFactory? loggerFactory = null, SwitchSessionOptions? options = null)
    {
        var controller = new LabController(socketPath);
        controller._listener = new OpenFlowListener([OpenFlowEndpoint.Unix(socketPath)], controller, options, loggerFactory);
        controller._listener.Start();
        return controller;
    }

    /// <summary>Waits until any switch has completed the handshake; returns the first one.</summary>
    public Task<SwitchSession> WaitForSwitchAsync(CancellationToken cancellationToken) =>
        WaitAsync(() => _connected.FirstOrDefault(), cancellationToken);

    /// <summary>Waits until a switch with this datapath id has completed the handshake.</summary>
    public Task<SwitchSession> WaitForSwitchAsync(ulong datapathId, CancellationToken cancellationToken) =>
        WaitAsync(() => _connected.LastOrDefault(s => s.DatapathId == datapathId && s.State == SwitchSessionState.Connected), cancellationToken);

    /// <summary>Waits for an asynchronous message of type T (received at any time since start) that satisfies the predicate.</summary>
    public async Task<T> WaitForMessageAsync<T>(Func<T, bool> predicate, CancellationToken cancellationToken)
        where T : OfpMessage
    {
        var received = await WaitAsync(() => _received.FirstOrDefault(r => r.Message is T m && predicate(m)), cancellationToken);
        return (T)received.Message;
    }

    /// <summary>Every asynchronous message so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        Changed(() => _connected.Add(session));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        Changed(() => _received.Add(new ReceivedMessage(session, message)));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed)
    {
        Changed(() => { });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }

    private void Changed(Action update)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            update();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private async Task<T> WaitAsync<T>(Func<T?> find, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (find() is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
