// Barriers shared by concurrent callers. A conversation setup needs "my flows are in" before it sends the first
// packet on; thousands of setups a second each with its own OFPT_BARRIER_REQUEST would double the messages and
// the round trips. JoinBarrierAsync instead joins the next barrier: the write loop sends one after everything
// queued when it runs dry, and its reply completes every caller that joined before it was taken. A caller joins
// after queueing its own messages, and the loop drains the queue once more after taking the barrier, so every
// joiner's messages are written ahead of the barrier that answers it.
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    // A queue item the write loop never writes: it only wakes the loop to send the barrier joined while it slept.
    private static readonly BarrierRequest s_barrierDue = new();

    private readonly Lock _barrierLock = new();
    private PendingReply<BarrierReply>? _nextBarrier;

    /// <summary>
    /// Completes once the switch has processed every message this caller queued before the call: the caller
    /// joins the next OFPT_BARRIER_REQUEST, which concurrent callers share (one request, one reply for all of
    /// them), within <see cref="SwitchSessionOptions.RequestTimeout"/>.
    /// </summary>
    /// <exception cref="OpenFlowErrorException">The switch answered the barrier with OFPT_ERROR.</exception>
    /// <exception cref="TimeoutException">No reply in time.</exception>
    /// <exception cref="SwitchSessionClosedException">The session closed before the reply.</exception>
    public Task JoinBarrierAsync(CancellationToken cancellationToken = default)
    {
        PendingReply<BarrierReply>? created = null;
        PendingReply<BarrierReply> barrier;
        lock (_barrierLock)
        {
            barrier = _nextBarrier ??= created = new PendingReply<BarrierReply>(OfpType.BarrierRequest);
        }

        // A full queue means the loop is awake and takes the barrier when it runs dry; a closed one, that the
        // session is closing (checked next).
        if (created is not null)
        {
            TryQueue(s_barrierDue);
        }

        // A close that ran before this joined could not fail the barrier.
        if (Volatile.Read(ref _closeInfo) is SwitchSessionClosed closed)
        {
            return Task.FromException(new SwitchSessionClosedException(RemoteAddress, closed));
        }

        return cancellationToken.CanBeCanceled ? barrier.Task.WaitAsync(cancellationToken) : barrier.Task;
    }

    /// <summary>The barrier joined since the last one was sent, now registered under a fresh xid; null if none was joined.</summary>
    private BarrierRequest? TakeJoinedBarrier()
    {
        if (Volatile.Read(ref _nextBarrier) is null)
        {
            return null;
        }

        PendingReply<BarrierReply>? barrier;
        lock (_barrierLock)
        {
            barrier = _nextBarrier;
            _nextBarrier = null;
        }

        if (barrier is null)
        {
            return null;
        }

        uint xid = NextXid();
        _pending[xid] = barrier;
        if (Volatile.Read(ref _closeInfo) is SwitchSessionClosed closed && _pending.TryRemove(new KeyValuePair<uint, PendingRequest>(xid, barrier)))
        {
            barrier.Fail(new SwitchSessionClosedException(RemoteAddress, closed));
            return null;
        }

        _ = ExpireAsync(barrier, xid);
        return new BarrierRequest { Xid = xid };
    }

    // One timer per shared barrier, not one per caller.
    private async Task ExpireAsync(PendingReply<BarrierReply> barrier, uint xid)
    {
        try
        {
            await barrier.Task.WaitAsync(_options.RequestTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException e) when (_pending.TryRemove(new KeyValuePair<uint, PendingRequest>(xid, barrier)))
        {
            barrier.Fail(new TimeoutException($"{OfpType.BarrierRequest} xid {xid} to {RemoteAddress}: no reply within {_options.RequestTimeout}", e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Failed or answered with an error: its joiners see that themselves.
        }
    }

    /// <summary>Fails the barrier joined but not yet sent (the session is closing).</summary>
    private void FailJoinedBarrier(SwitchSessionClosed closed)
    {
        PendingReply<BarrierReply>? barrier;
        lock (_barrierLock)
        {
            barrier = _nextBarrier;
            _nextBarrier = null;
        }

        barrier?.Fail(new SwitchSessionClosedException(RemoteAddress, closed));
    }
}
