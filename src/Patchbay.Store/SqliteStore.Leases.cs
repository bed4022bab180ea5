// Leases: grant, keep-alive, revoke, and expiry. The lease table is mirrored in memory (this process is the
// only writer), so deciding whether anything is due costs no query; removing a lease deletes its keys in one
// revision with a delete event each.
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Patchbay.Store;

public sealed partial class SqliteStore
{
    public async ValueTask<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckTtl(ttl);
        long ttlMs = Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await SweepExpiredLockedAsync().ConfigureAwait(false);
            long expiresAt = NowMilliseconds() + ttlMs;
            object? id = await WriterScalarAsync(null, "INSERT INTO leases (ttl_ms, expires_at) VALUES ($ttl, $at) RETURNING id", ("$ttl", ttlMs), ("$at", expiresAt)).ConfigureAwait(false);
            long lease = Convert.ToInt64(id, CultureInfo.InvariantCulture);
            _leases[lease] = new LeaseTimes(ttlMs, expiresAt);
            UpdateEarliestExpiry();
            return lease;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await SweepExpiredLockedAsync().ConfigureAwait(false);
            if (!_leases.TryGetValue(lease, out LeaseTimes times))
            {
                return false;
            }

            long expiresAt = NowMilliseconds() + times.TtlMs;
            await WriterExecuteAsync(null, "UPDATE leases SET expires_at = $at WHERE id = $id", ("$at", expiresAt), ("$id", lease)).ConfigureAwait(false);
            _leases[lease] = times with { ExpiresAtMs = expiresAt };
            UpdateEarliestExpiry();
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask<bool> RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await SweepExpiredLockedAsync().ConfigureAwait(false);
            if (!_leases.ContainsKey(lease))
            {
                return false;
            }

            await RemoveLeaseLockedAsync(lease).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task RemoveLeaseLockedAsync(long lease)
    {
        long revision = _revision + 1;
        List<StoreEvent> events = [];
        await using (SqliteTransaction transaction = _writer.BeginTransaction())
        {
            await WriterExecuteAsync(transaction, "DELETE FROM leases WHERE id = $id", ("$id", lease)).ConfigureAwait(false);
            List<string> keys = [];
            SqliteCommand delete = WriterCommand(transaction, "DELETE FROM kv WHERE lease = $id RETURNING key", ("$id", lease));
            await using (SqliteDataReader rows = await delete.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await rows.ReadAsync().ConfigureAwait(false))
                {
                    keys.Add(rows.GetString(0));
                }
            }

            keys.Sort(StringComparer.Ordinal);
            events.AddRange(keys.Select(key => new StoreEvent(StoreEventType.Delete, StoreRequests.Deleted(key, revision), revision)));
            long eventCount = await RecordLockedAsync(transaction, events).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            _eventCount = eventCount;
        }

        _leases.Remove(lease);
        UpdateEarliestExpiry();
        Publish(events);
    }

    /// <summary>Before a read: sweeps only when some lease is due, so reads take no lock in the common case.</summary>
    private async ValueTask SweepIfDueAsync(CancellationToken cancellationToken)
    {
        if (NowMilliseconds() < Volatile.Read(ref _earliestExpiryMs))
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await SweepExpiredLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task SweepExpiredLockedAsync()
    {
        long now = NowMilliseconds();
        if (now < _earliestExpiryMs)
        {
            return;
        }

        foreach (long lease in _leases.Where(l => l.Value.ExpiresAtMs <= now).Select(l => l.Key).Order().ToList())
        {
            await RemoveLeaseLockedAsync(lease).ConfigureAwait(false);
        }
    }

    private void SweepFromTimer() => _ = SweepFromTimerAsync();

    private async Task SweepFromTimerAsync()
    {
        try
        {
            await SweepIfDueAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The store closed between the tick and the sweep.
        }
        catch (SqliteException)
        {
            // Nobody to tell here; the next read or write sweeps again and reports the error to its caller.
        }
    }

    private void UpdateEarliestExpiry() =>
        Volatile.Write(ref _earliestExpiryMs, _leases.Count == 0 ? long.MaxValue : _leases.Values.Min(l => l.ExpiresAtMs));
}
