// Watches: history replayed from the events table up to the revision published when the watch registered,
// then live events broadcast in process after each commit, so nothing is missed or seen twice.
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Patchbay.Store;

public sealed partial class SqliteStore
{
    private readonly object _watchGate = new();
    private readonly List<StoreWatcher> _watchers = [];

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        StoreWatcher watcher = new(prefix, afterRevision);
        long replayUpTo;
        lock (_watchGate)
        {
            ThrowIfDisposed();
            replayUpTo = _revision;
            _watchers.Add(watcher);
        }

        try
        {
            List<StoreEvent> replay = await ReadHistoryAsync(prefix, afterRevision, replayUpTo, cancellationToken).ConfigureAwait(false);
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
            lock (_watchGate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <summary>Makes a committed transaction's events the current revision and hands them to every watcher.</summary>
    private void Publish(List<StoreEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        lock (_watchGate)
        {
            Volatile.Write(ref _revision, events[0].Revision);
            foreach (StoreEvent change in events)
            {
                foreach (StoreWatcher watcher in _watchers)
                {
                    watcher.Offer(change);
                }
            }
        }
    }

    private void CompleteWatchers()
    {
        lock (_watchGate)
        {
            foreach (StoreWatcher watcher in _watchers)
            {
                watcher.Events.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    private async Task<List<StoreEvent>> ReadHistoryAsync(string prefix, long afterRevision, long upToRevision, CancellationToken cancellationToken)
    {
        SqliteConnection reader = await RentReaderAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using SqliteTransaction snapshot = reader.BeginTransaction(deferred: true);
            long compacted = Convert.ToInt64(await ScalarAsync(reader, snapshot, "SELECT compacted_revision FROM meta").ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (afterRevision < compacted)
            {
                throw new StoreCompactedException(afterRevision, compacted);
            }

            List<StoreEvent> events = [];
            await using (SqliteCommand query = Command(
                reader,
                snapshot,
                "SELECT revision, type, key, value, create_rev, version, lease FROM events WHERE revision > $after AND revision <= $upTo AND key >= $prefix ORDER BY seq",
                ("$after", afterRevision),
                ("$upTo", upToRevision),
                ("$prefix", prefix)))
            await using (SqliteDataReader rows = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    long revision = rows.GetInt64(0);
                    string key = rows.GetString(2);
                    if (!key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    events.Add((StoreEventType)rows.GetInt32(1) == StoreEventType.Put
                        ? new StoreEvent(StoreEventType.Put, new StoreEntry(key, rows.GetFieldValue<byte[]>(3), rows.GetInt64(4), revision, rows.GetInt64(5), rows.GetInt64(6)), revision)
                        : new StoreEvent(StoreEventType.Delete, StoreRequests.Deleted(key, revision), revision));
                }
            }

            await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
            return events;
        }
        finally
        {
            ReturnReader(reader);
        }
    }
}
