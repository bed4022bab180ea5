// An in-process IStore for unit tests: every key, lease and the recent change history live in memory behind
// one lock, so each call sees and makes one consistent revision. Not durable; the controller uses SqliteStore.
using System.Runtime.CompilerServices;

namespace Patchbay.Store;

public sealed class MemoryStore : IStore
{
    private readonly object _gate = new();
    private readonly StoreOptions _options;
    private readonly SortedDictionary<string, StoreEntry> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly Queue<StoreEvent> _history = new();
    private readonly List<StoreWatcher> _watchers = [];
    private readonly ITimer _sweepTimer;
    private long _revision;
    private long _compactedRevision;
    private long _lastLeaseId;
    private bool _disposed;

    public MemoryStore(StoreOptions? options = null)
    {
        _options = options ?? new StoreOptions();
        _options.Validate();
        // Expiry must reach watchers even when nobody reads or writes, as a host that stops heartbeating does.
        _sweepTimer = _options.TimeProvider.CreateTimer(_ => Sweep(), null, _options.LeaseSweepInterval, _options.LeaseSweepInterval);
    }

    public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            return ValueTask.FromResult(_revision);
        }
    }

    public ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckKey(key, nameof(key));
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            return ValueTask.FromResult(_keys.GetValueOrDefault(key));
        }
    }

    public ValueTask<StoreRange> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            List<StoreEntry> entries = [];
            foreach ((string key, StoreEntry entry) in _keys)
            {
                int order = string.CompareOrdinal(key, prefix);
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    entries.Add(entry);
                }
                else if (order > 0)
                {
                    // Keys are in ordinal order: past the prefix's block, nothing further can match.
                    break;
                }
            }

            return ValueTask.FromResult(new StoreRange(entries, _revision));
        }
    }

    public ValueTask<StoreTxnResult> TxnAsync(IReadOnlyList<StoreCompare> compares, IReadOnlyList<StoreOp> operations, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckTxn(compares, operations);
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            foreach (StoreCompare compare in compares)
            {
                long current = _keys.TryGetValue(compare.Key, out StoreEntry? entry) ? entry.ModRevision : 0;
                if (current != compare.ModRevision)
                {
                    return ValueTask.FromResult(new StoreTxnResult(false, _revision, compare));
                }
            }

            foreach (StoreOp op in operations)
            {
                if (op is StoreOp.Put { Lease: not 0 } put && !_leases.ContainsKey(put.Lease))
                {
                    throw StoreRequests.UnknownLease(put.Key, put.Lease);
                }
            }

            long revision = _revision + 1;
            List<StoreEvent> events = [];
            foreach (StoreOp op in operations)
            {
                switch (op)
                {
                    case StoreOp.Put put:
                        events.Add(ApplyPut(put, revision));
                        break;
                    case StoreOp.Delete delete:
                        if (ApplyDelete(delete.Key, revision) is { } deleted)
                        {
                            events.Add(deleted);
                        }

                        break;
                    default:
                        throw new ArgumentException($"unknown store operation {op.GetType().Name}", nameof(operations));
                }
            }

            Commit(events);
            return ValueTask.FromResult(new StoreTxnResult(true, _revision, null));
        }
    }

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        StoreWatcher watcher = new(prefix, afterRevision);
        List<StoreEvent> replay;
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            if (afterRevision < _compactedRevision)
            {
                throw new StoreCompactedException(afterRevision, _compactedRevision);
            }

            // Replay and registration happen under the lock that commits take, so no event is missed or repeated.
            replay = [.. _history.Where(watcher.Wants)];
            _watchers.Add(watcher);
        }

        try
        {
            foreach (StoreEvent replayed in replay)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return replayed;
            }

            await foreach (StoreEvent live in watcher.Events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return live;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    public ValueTask<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckTtl(ttl);
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            long id = ++_lastLeaseId;
            _leases.Add(id, new Lease(ttl, _options.TimeProvider.GetUtcNow() + ttl));
            return ValueTask.FromResult(id);
        }
    }

    public ValueTask<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            if (!_leases.TryGetValue(lease, out Lease? state))
            {
                return ValueTask.FromResult(false);
            }

            state.ExpiresAt = _options.TimeProvider.GetUtcNow() + state.Ttl;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            SweepExpiredLeases();
            return ValueTask.FromResult(RemoveLease(lease));
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            _sweepTimer.Dispose();
            foreach (StoreWatcher watcher in _watchers)
            {
                watcher.Events.Writer.TryComplete();
            }

            _watchers.Clear();
        }

        return ValueTask.CompletedTask;
    }

    private StoreEvent ApplyPut(StoreOp.Put put, long revision)
    {
        StoreEntry? previous = _keys.GetValueOrDefault(put.Key);
        if (previous is not null && previous.Lease != 0 && previous.Lease != put.Lease)
        {
            _leases[previous.Lease].Keys.Remove(put.Key);
        }

        if (put.Lease != 0)
        {
            _leases[put.Lease].Keys.Add(put.Key);
        }

        // Copy: the caller may reuse its buffer after the call.
        StoreEntry entry = new(put.Key, put.Value.ToArray(), previous?.CreateRevision ?? revision, revision, (previous?.Version ?? 0) + 1, put.Lease);
        _keys[put.Key] = entry;
        return new StoreEvent(StoreEventType.Put, entry, revision);
    }

    private StoreEvent? ApplyDelete(string key, long revision)
    {
        if (!_keys.Remove(key, out StoreEntry? previous))
        {
            return null;
        }

        if (previous.Lease != 0 && _leases.TryGetValue(previous.Lease, out Lease? lease))
        {
            lease.Keys.Remove(key);
        }

        return new StoreEvent(StoreEventType.Delete, StoreRequests.Deleted(key, revision), revision);
    }

    private void Commit(List<StoreEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        _revision = events[0].Revision;
        foreach (StoreEvent change in events)
        {
            _history.Enqueue(change);
            foreach (StoreWatcher watcher in _watchers)
            {
                watcher.Offer(change);
            }
        }

        while (_history.Count > _options.HistoryLimit)
        {
            _compactedRevision = _history.Dequeue().Revision;
        }
    }

    private bool RemoveLease(long id)
    {
        if (!_leases.Remove(id, out Lease? lease))
        {
            return false;
        }

        long revision = _revision + 1;
        List<StoreEvent> events = [];
        foreach (string key in lease.Keys.Order(StringComparer.Ordinal))
        {
            _keys.Remove(key);
            events.Add(new StoreEvent(StoreEventType.Delete, StoreRequests.Deleted(key, revision), revision));
        }

        Commit(events);
        return true;
    }

    private void SweepExpiredLeases()
    {
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        foreach (long id in _leases.Where(l => l.Value.ExpiresAt <= now).Select(l => l.Key).Order().ToList())
        {
            RemoveLease(id);
        }
    }

    private void Sweep()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                SweepExpiredLeases();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class Lease(TimeSpan ttl, DateTimeOffset expiresAt)
    {
        public TimeSpan Ttl { get; } = ttl;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
