// Sending and request/reply correlation: every request gets a fresh xid, and the reply (or OFPT_ERROR)
// carrying that xid completes it. Multipart replies are collected until OFPMPF_REPLY_MORE is clear.
using System.Collections.Concurrent;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private int _nextXid;

    /// <summary>
    /// Queues <paramref name="message"/> as it is (its xid unchanged). Waits while the send queue is full,
    /// which it stays while the switch does not read: the caller feels the back-pressure.
    /// </summary>
    /// <exception cref="SwitchSessionClosedException">The session is closed.</exception>
    public ValueTask SendAsync(OfpMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = message.Length;
        if (length > OfpConstants.MaxMessageLength)
        {
            throw new ArgumentException($"{message.Type} is {length} bytes, above the 65535 an ofp_header can declare", nameof(message));
        }

        return QueueAsync(new Outgoing(message, length), cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> under a fresh xid and returns the reply of type
    /// <typeparamref name="TReply"/> carrying that xid, within <see cref="SwitchSessionOptions.RequestTimeout"/>.
    /// </summary>
    /// <exception cref="OpenFlowErrorException">The switch answered with OFPT_ERROR.</exception>
    /// <exception cref="TimeoutException">No reply in time.</exception>
    /// <exception cref="SwitchSessionClosedException">The session closed before the reply.</exception>
    public Task<TReply> RequestAsync<TReply>(OfpMessage request, CancellationToken cancellationToken = default)
        where TReply : OfpMessage =>
        RequestAsync<TReply>(request, _options.RequestTimeout, cancellationToken);

    /// <inheritdoc cref="RequestAsync{TReply}(OfpMessage, CancellationToken)"/>
    public Task<TReply> RequestAsync<TReply>(OfpMessage request, TimeSpan timeout, CancellationToken cancellationToken = default)
        where TReply : OfpMessage
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new PendingReply<TReply>(request.Type);
        return ExchangeAsync(request, pending, pending.Task, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends a multipart request and returns every reply part in order, the last one with MORE clear
    /// (<see cref="MultipartReply.Combine"/> joins them).
    /// </summary>
    /// <exception cref="OpenFlowErrorException">The switch answered with OFPT_ERROR.</exception>
    /// <exception cref="TimeoutException">The last part did not arrive in time.</exception>
    /// <exception cref="SwitchSessionClosedException">The session closed before the last part.</exception>
    public Task<IReadOnlyList<MultipartReply>> MultipartAsync(MultipartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = new PendingMultipart(request.MultipartType);
        return ExchangeAsync(request, pending, pending.Task, _options.RequestTimeout, cancellationToken);
    }

    /// <summary>Completes once the switch has processed every message sent before it (OFPT_BARRIER_REQUEST).</summary>
    public Task BarrierAsync(CancellationToken cancellationToken = default) =>
        RequestAsync<BarrierReply>(new BarrierRequest(), cancellationToken);

    private uint NextXid()
    {
        // Xid 0 is what switches put on unsolicited messages; never hand it out.
        uint xid;
        do
        {
            xid = unchecked((uint)Interlocked.Increment(ref _nextXid));
        }
        while (xid == 0);

        return xid;
    }

    private async Task<T> ExchangeAsync<T>(OfpMessage request, PendingRequest pending, Task<T> reply, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        uint xid = NextXid();
        _pending[xid] = pending;
        try
        {
            // A close that ran before the registration could not fail this request; check after registering.
            if (Volatile.Read(ref _closeInfo) is SwitchSessionClosed closed)
            {
                throw new SwitchSessionClosedException(RemoteAddress, closed);
            }

            OfpMessage numbered = request with { Xid = xid };
            await QueueAsync(new Outgoing(numbered, numbered.Length), cancellationToken).ConfigureAwait(false);
            return await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{request.Type} xid {xid} to {RemoteAddress}: no reply within {timeout}", e);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<uint, PendingRequest>(xid, pending));
        }
    }

    /// <summary>Offers a received message to the request waiting on its xid; false if none claims it.</summary>
    private bool TryCompleteRequest(OfpMessage message)
    {
        if (!_pending.TryGetValue(message.Xid, out PendingRequest? pending) || !pending.TryAccept(message))
        {
            return false;
        }

        if (pending.IsDone)
        {
            _pending.TryRemove(new KeyValuePair<uint, PendingRequest>(message.Xid, pending));
        }

        return true;
    }

    private void FailPendingRequests(SwitchSessionClosed closed)
    {
        foreach (KeyValuePair<uint, PendingRequest> entry in _pending)
        {
            if (_pending.TryRemove(entry))
            {
                entry.Value.Fail(new SwitchSessionClosedException(RemoteAddress, closed));
            }
        }
    }
}
