// The send queue between the senders and the write loop. Every conversation setup queues several messages on
// two switches, so the common case takes no lock: an unbounded single-reader channel (lock-free to write)
// with the bound kept by a counter. A sender that finds SendQueueCapacity messages queued (the switch stopped
// reading) waits for the write loop to take one; the counter and the waiter are published with full fences on
// both sides (the sender registers, then counts; the loop uncounts, then looks for a waiter), so a wake-up is
// never lost. A message is queued with its length, computed once when it is sent (a flow-mod's walks its match
// and every instruction), so the write loop does not compute it again.
using System.Threading.Channels;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _spaceLock = new();
    private int _queued;
    private TaskCompletionSource? _spaceWaiter;

    /// <summary>Queues a message past the bound (HELLO, an ERROR before a close, a keepalive, a barrier's wake-up); false once closed.</summary>
    private bool TryQueue(OfpMessage message)
    {
        Interlocked.Increment(ref _queued);
        if (_outbox.Writer.TryWrite(new Outgoing(message, message.Length)))
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>Queues a message, waiting while <see cref="SwitchSessionOptions.SendQueueCapacity"/> are queued.</summary>
    private ValueTask QueueAsync(Outgoing message, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) <= _options.SendQueueCapacity)
        {
            if (_outbox.Writer.TryWrite(message))
            {
                return ValueTask.CompletedTask;
            }

            Interlocked.Decrement(ref _queued);
            return ValueTask.FromException(NotSent(message.Message));
        }

        Interlocked.Decrement(ref _queued);
        return QueueWhenRoomAsync(message, cancellationToken);
    }

    private async ValueTask QueueWhenRoomAsync(Outgoing message, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_spaceLock)
            {
                _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _spaceWaiter.Task;
            }

            if (Interlocked.Increment(ref _queued) <= _options.SendQueueCapacity)
            {
                if (_outbox.Writer.TryWrite(message))
                {
                    return;
                }

                Interlocked.Decrement(ref _queued);
                throw NotSent(message.Message);
            }

            Interlocked.Decrement(ref _queued);
            if (Volatile.Read(ref _closeInfo) is not null)
            {
                throw NotSent(message.Message);
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The write loop took a message off the queue: a sender waiting for room may go on.</summary>
    private void Dequeued()
    {
        if (Interlocked.Decrement(ref _queued) < _options.SendQueueCapacity && Volatile.Read(ref _spaceWaiter) is not null)
        {
            WakeSenders();
        }
    }

    private void WakeSenders()
    {
        TaskCompletionSource? waiter;
        lock (_spaceLock)
        {
            waiter = _spaceWaiter;
            _spaceWaiter = null;
        }

        waiter?.TrySetResult();
    }

    private SwitchSessionClosedException NotSent(OfpMessage message)
    {
        SwitchSessionClosed closed = Volatile.Read(ref _closeInfo) ?? new SwitchSessionClosed(SessionCloseReason.Local, "send queue closed");
        return new SwitchSessionClosedException($"OpenFlow session with {RemoteAddress} closed ({closed}); {message.Type} not sent");
    }

    /// <summary>A queued message and its length.</summary>
    private readonly record struct Outgoing(OfpMessage Message, int Length);
}
