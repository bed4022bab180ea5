// One OpenFlow 1.3 connection with one switch: its state machine (Handshaking -> Connected -> Closed)
// and its lifecycle. Reading, writing, requests and liveness live in the other SwitchSession.*.cs parts.
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public enum SwitchSessionState
{
    /// <summary>HELLO and FEATURES are being exchanged; the datapath id is not known yet.</summary>
    Handshaking,
    /// <summary>The switch is identified and the handler has been told.</summary>
    Connected,
    /// <summary>The connection is gone; every request fails.</summary>
    Closed,
}

public sealed partial class SwitchSession : IAsyncDisposable
{
    private readonly Stream _transport;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IOpenFlowHandler _handler;
    private readonly SwitchSessionOptions _options;
    private readonly ILogger _logger;
    // The session whose handler the current async flow is running in, so CloseAsync can tell it must not wait.
    private static readonly AsyncLocal<SwitchSession?> s_dispatching = new();

    private readonly SwitchInbox _inbox;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _stateLock = new();
    private readonly TaskCompletionSource<Hello> _peerHello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SwitchSessionClosed> _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SwitchSessionClosed> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SwitchSessionClosed? _closeInfo;
    private volatile SwitchSessionState _state = SwitchSessionState.Handshaking;
    private volatile FeaturesReply? _features;
    private Task _keepalive = Task.CompletedTask;
    private Task _dispatch = Task.CompletedTask;
    private int _started;

    /// <summary>
    /// Wraps an accepted (and, for TLS, authenticated) stream. The session owns the stream and disposes it
    /// when it closes. Nothing happens until <see cref="RunAsync"/>.
    /// </summary>
    public SwitchSession(Stream transport, string remoteAddress, IOpenFlowHandler handler, SwitchSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? SwitchSessionOptions.Default;
        _options.Validate();
        _transport = transport;
        _input = PipeReader.Create(transport, new StreamPipeReaderOptions(leaveOpen: true));
        _output = PipeWriter.Create(transport, new StreamPipeWriterOptions(leaveOpen: true));
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
        RemoteAddress = remoteAddress;
        _inbox = new SwitchInbox(_options.HandlerQueueCapacity);
    }

    /// <summary>The peer as the listener saw it ("tcp:10.0.0.2:40112", "unix:/run/of.sock").</summary>
    public string RemoteAddress { get; }

    public SwitchSessionState State => _state;

    /// <summary>The switch's FEATURES_REPLY; null until the handshake completes.</summary>
    public FeaturesReply? Features => _features;

    /// <summary>The switch's datapath id; null until the handshake completes.</summary>
    public ulong? DatapathId => _features?.DatapathId;

    /// <summary>PACKET_INs discarded unhandled because the handler lagged a full queue of them behind (oldest first).</summary>
    public long PacketInsDiscarded => Interlocked.Read(ref _packetInsDiscarded);

    /// <summary>Completes once the session has closed and released its connection, with the reason.</summary>
    public Task<SwitchSessionClosed> Closed => _closed.Task;

    /// <summary>
    /// Runs the session until it closes: handshake, then reading, writing and liveness checks.
    /// Never throws for anything the peer does; the outcome is in <see cref="Closed"/>.
    /// Cancelling <paramref name="cancellationToken"/> closes the session.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"the session with {RemoteAddress} is already running");
        }

        using CancellationTokenRegistration registration = cancellationToken.Register(
            static state => ((SwitchSession)state!).RequestClose(new SwitchSessionClosed(SessionCloseReason.Local, "cancelled by the controller")),
            this);
        CancellationToken stop = _stop.Token;
        Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());

        // Our HELLO goes first, before anything the read loop might answer (spec 1.3.5, 6.3.1).
        TryQueue(Hello.Ours(NextXid()));
        Task writing = WriteLoopAsync(stop);
        Task reading = ReadLoopAsync(stop);
        Task handshake = HandshakeAsync(stop);

        SwitchSessionClosed closed = await _closeRequested.Task.ConfigureAwait(false);

        // Let what is queued (an ERROR explaining the close) reach the peer, and the handler see what
        // already arrived, but not for longer than the grace period: a peer that stopped reading must not
        // hold the session open.
        _outbox.Writer.TryComplete();
        WakeSenders();
        await writing.WaitAsync(_options.CloseGracePeriod, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await handshake.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _inbox.Complete();
        await _dispatch.WaitAsync(_options.CloseGracePeriod, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        await _stop.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(reading, writing, _keepalive, _dispatch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _input.CompleteAsync().ConfigureAwait(false);
        await CompleteOutputAsync().ConfigureAwait(false);

        OpenFlowLog.Closed(_logger, RemoteAddress, closed);
        s_dispatching.Value = this;
        try
        {
            await _handler.OnClosedAsync(this, closed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OpenFlowLog.HandlerCallbackFailed(_logger, RemoteAddress, nameof(IOpenFlowHandler.OnClosedAsync), e);
        }

        _stop.Dispose();
        _inbox.Dispose();
        _closed.TrySetResult(closed);
    }

    /// <summary>
    /// Closes the session (pending requests fail) and waits until the connection is released. Called from
    /// this session's own handler it only starts the close: the close waits for the handler to return.
    /// </summary>
    public async Task CloseAsync()
    {
        RequestClose(new SwitchSessionClosed(SessionCloseReason.Local, "closed by the controller"));
        if (Volatile.Read(ref _started) != 0 && s_dispatching.Value != this)
        {
            await _closed.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Never run: nothing else will release the connection.
            SwitchSessionClosed closed = new(SessionCloseReason.Local, "disposed before it ran");
            RequestClose(closed);
            await _transport.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
            _inbox.Dispose();
            _closed.TrySetResult(closed);
            return;
        }

        await CloseAsync().ConfigureAwait(false);
    }

    public override string ToString() =>
        DatapathId is ulong dpid ? $"{RemoteAddress} (datapath {dpid:x16}, {State})" : $"{RemoteAddress} ({State})";

    /// <summary>
    /// The single way a session starts closing: records the first reason, moves to Closed, fails every
    /// pending request, and wakes <see cref="RunAsync"/> to release the connection.
    /// </summary>
    private bool RequestClose(SwitchSessionClosed closed)
    {
        if (Interlocked.CompareExchange(ref _closeInfo, closed, null) is not null)
        {
            return false;
        }

        lock (_stateLock)
        {
            _state = SwitchSessionState.Closed;
        }

        _peerHello.TrySetCanceled();
        FailPendingRequests(closed);
        FailJoinedBarrier(closed);
        _closeRequested.TrySetResult(closed);
        return true;
    }

    private async Task CompleteOutputAsync()
    {
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Completing flushes leftovers into a stream already disposed; those bytes had no reader anyway.
        }
    }
}
