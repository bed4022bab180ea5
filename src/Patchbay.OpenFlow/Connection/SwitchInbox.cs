// The queue between a session's read loop and its handler. It keeps arrival order, and it is bounded two
// ways: PACKET_INs (what a flooding port produces) never make the read loop wait; when the handler lags
// HandlerQueueCapacity of them behind, the oldest queued PACKET_IN is discarded for the new one, so the
// handler sees the freshest first packets and the read loop keeps draining the socket (replies to the
// controller's own requests, barriers above all, are claimed there and never wait behind a flood). Every
// other message is kept: the read loop waits while HandlerQueueCapacity of those are queued.
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

internal sealed class SwitchInbox(int capacity) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<OfpMessage> _messages = new();
    // The queued PACKET_INs' nodes, oldest first: the reader takes them from the front in the same order.
    private readonly Queue<LinkedListNode<OfpMessage>> _packetIns = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly SemaphoreSlim _otherSpace = new(capacity, capacity);
    private bool _completed;

    /// <summary>Queues a PACKET_IN without waiting; returns the one it displaced (the oldest queued), or null.</summary>
    public PacketIn? AddPacketIn(PacketIn packetIn)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return null;
            }

            PacketIn? displaced = null;
            if (_packetIns.Count >= capacity)
            {
                LinkedListNode<OfpMessage> oldest = _packetIns.Dequeue();
                _messages.Remove(oldest);
                displaced = (PacketIn)oldest.Value;
            }

            _packetIns.Enqueue(_messages.AddLast(packetIn));
            if (displaced is not null)
            {
                // One out, one in: the reader's count of queued messages is unchanged.
                return displaced;
            }
        }

        _available.Release();
        return null;
    }

    /// <summary>Queues any other message, waiting while <c>capacity</c> of them are queued.</summary>
    public async ValueTask AddAsync(OfpMessage message, CancellationToken cancellationToken)
    {
        await _otherSpace.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _messages.AddLast(message);
        }

        _available.Release();
    }

    /// <summary>No more messages: the reader gets what is queued, then null.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
        }

        // Wakes a reader waiting on an empty queue; it finds nothing and ends.
        _available.Release();
    }

    /// <summary>Once neither loop uses the queue any more (the session released its connection).</summary>
    public void Dispose()
    {
        _available.Dispose();
        _otherSpace.Dispose();
    }

    /// <summary>The next message in arrival order; null once completed and drained.</summary>
    public async ValueTask<OfpMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_messages.First is LinkedListNode<OfpMessage> first)
                {
                    _messages.RemoveFirst();
                    if (first.Value is PacketIn)
                    {
                        _packetIns.Dequeue();
                    }
                    else
                    {
                        _otherSpace.Release();
                    }

                    return first.Value;
                }

                if (_completed)
                {
                    // Leave the wake-up for the next read, which ends too.
                    _available.Release();
                    return null;
                }
            }
        }
    }
}
