// Reads (get, list at one revision) and transactions (compare, then apply every operation in one revision).
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Patchbay.Store;

public sealed partial class SqliteStore
{
    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfDisposed();
        return Volatile.Read(ref _revision);
    }

    public async ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckKey(key, nameof(key));
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection reader = await RentReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteCommand query = Command(reader, null, "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key = $key", ("$key", key));
            await using SqliteDataReader row = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await row.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEntry(row) : null;
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    public async ValueTask<StoreRange> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection reader = await RentReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One read transaction: the revision and the rows come from the same WAL snapshot.
            await using SqliteTransaction snapshot = reader.BeginTransaction(deferred: true);
            long revision = Convert.ToInt64(await ScalarAsync(reader, snapshot, "SELECT revision FROM meta").ConfigureAwait(false), CultureInfo.InvariantCulture);
            List<StoreEntry> entries = [];
            // Keys compare as UTF-8 bytes here, so every key under the prefix sorts at or after it, in one run.
            await using (SqliteCommand query = Command(reader, snapshot, "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key >= $prefix ORDER BY key", ("$prefix", prefix)))
            await using (SqliteDataReader rows = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    string key = rows.GetString(0);
                    if (!key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        break;
                    }

                    entries.Add(ReadEntry(rows));
                }
            }

            await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
            // UTF-8 byte order and UTF-16 ordinal order differ only for characters beyond U+FFFF; the contract is ordinal.
            entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return new StoreRange(entries, revision);
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    public async ValueTask<StoreTxnResult> TxnAsync(IReadOnlyList<StoreCompare> compares, IReadOnlyList<StoreOp> operations, CancellationToken cancellationToken = default)
    {
        StoreRequests.CheckTxn(compares, operations);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDisposed();
            await SweepExpiredLockedAsync().ConfigureAwait(false);
            long revision = _revision + 1;
            List<StoreEvent> events = [];
            // From here on no cancellation: a transaction either commits and is published, or rolls back whole.
            await using (SqliteTransaction transaction = _writer.BeginTransaction())
            {
                foreach (StoreCompare compare in compares)
                {
                    object? current = await WriterScalarAsync(transaction, "SELECT mod_rev FROM kv WHERE key = $key", ("$key", compare.Key)).ConfigureAwait(false);
                    if ((current is null ? 0 : Convert.ToInt64(current, CultureInfo.InvariantCulture)) != compare.ModRevision)
                    {
                        return new StoreTxnResult(false, _revision, compare);
                    }
                }

                foreach (StoreOp op in operations)
                {
                    if (op is StoreOp.Put { Lease: not 0 } put && !_leases.ContainsKey(put.Lease))
                    {
                        throw StoreRequests.UnknownLease(put.Key, put.Lease);
                    }
                }

                foreach (StoreOp op in operations)
                {
                    switch (op)
                    {
                        case StoreOp.Put put:
                            events.Add(await PutLockedAsync(transaction, put, revision).ConfigureAwait(false));
                            break;
                        case StoreOp.Delete delete:
                            if (await WriterScalarAsync(transaction, "DELETE FROM kv WHERE key = $key RETURNING key", ("$key", delete.Key)).ConfigureAwait(false) is not null)
                            {
                                events.Add(new StoreEvent(StoreEventType.Delete, StoreRequests.Deleted(delete.Key, revision), revision));
                            }

                            break;
                        default:
                            throw new ArgumentException($"unknown store operation {op.GetType().Name}", nameof(operations));
                    }
                }

                long eventCount = await RecordLockedAsync(transaction, events).ConfigureAwait(false);
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                _eventCount = eventCount;
            }

            Publish(events);
            return new StoreTxnResult(true, _revision, null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<StoreEvent> PutLockedAsync(SqliteTransaction transaction, StoreOp.Put put, long revision)
    {
        byte[] value = put.Value.ToArray();
        SqliteCommand upsert = WriterCommand(
            transaction,
            """
            INSERT INTO kv (key, value, create_rev, mod_rev, version, lease) VALUES ($key, $value, $rev, $rev, 1, $lease)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, mod_rev = excluded.mod_rev, version = kv.version + 1, lease = excluded.lease
            RETURNING create_rev, version
            """,
            ("$key", put.Key),
            ("$value", value),
            ("$rev", revision),
            ("$lease", put.Lease));
        await using SqliteDataReader row = await upsert.ExecuteReaderAsync().ConfigureAwait(false);
        await row.ReadAsync().ConfigureAwait(false);
        StoreEntry entry = new(put.Key, value, row.GetInt64(0), revision, row.GetInt64(1), put.Lease);
        return new StoreEvent(StoreEventType.Put, entry, revision);
    }

    /// <summary>Appends the events and the new revision, compacts the history; returns the event count to keep after commit.</summary>
    private async Task<long> RecordLockedAsync(SqliteTransaction transaction, List<StoreEvent> events)
    {
        if (events.Count == 0)
        {
            return _eventCount;
        }

        foreach (StoreEvent change in events)
        {
            await WriterExecuteAsync(
                transaction,
                "INSERT INTO events (revision, type, key, value, create_rev, version, lease) VALUES ($rev, $type, $key, $value, $create, $version, $lease)",
                ("$rev", change.Revision),
                ("$type", (int)change.Type),
                ("$key", change.Entry.Key),
                ("$value", change.Entry.Value.ToArray()),
                ("$create", change.Entry.CreateRevision),
                ("$version", change.Entry.Version),
                ("$lease", change.Entry.Lease)).ConfigureAwait(false);
        }

        await WriterExecuteAsync(transaction, "UPDATE meta SET revision = $rev", ("$rev", events[0].Revision)).ConfigureAwait(false);
        return await CompactAsync(transaction, _eventCount + events.Count).ConfigureAwait(false);
    }

    /// <summary>Drops the oldest events beyond the history limit, remembering the newest dropped revision; returns the count kept.</summary>
    private async Task<long> CompactAsync(SqliteTransaction transaction, long eventCount)
    {
        long excess = eventCount - _options.HistoryLimit;
        if (excess <= 0)
        {
            return eventCount;
        }

        long cutSeq;
        long cutRevision;
        SqliteCommand query = WriterCommand(transaction, "SELECT seq, revision FROM events ORDER BY seq LIMIT 1 OFFSET $skip", ("$skip", excess - 1));
        await using (SqliteDataReader row = await query.ExecuteReaderAsync().ConfigureAwait(false))
        {
            await row.ReadAsync().ConfigureAwait(false);
            cutSeq = row.GetInt64(0);
            cutRevision = row.GetInt64(1);
        }

        await WriterExecuteAsync(transaction, "DELETE FROM events WHERE seq <= $seq", ("$seq", cutSeq)).ConfigureAwait(false);
        await WriterExecuteAsync(transaction, "UPDATE meta SET compacted_revision = max(compacted_revision, $rev)", ("$rev", cutRevision)).ConfigureAwait(false);
        return _options.HistoryLimit;
    }

    private static StoreEntry ReadEntry(SqliteDataReader row) =>
        new(row.GetString(0), row.GetFieldValue<byte[]>(1), row.GetInt64(2), row.GetInt64(3), row.GetInt64(4), row.GetInt64(5));
}
