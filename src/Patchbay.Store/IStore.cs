// The durable store under the controller's model: an etcd-shaped, revisioned key-value store.
// Keys are UTF-8 strings (for example "/v1/networks/t1/blue"); values are opaque bytes (the model stores JSON).
// Every committed transaction bumps one store-wide revision; every key remembers the revision that created
// it, the revision that last changed it and how many times it changed (etcd's create_revision,
// mod_revision, version). A transaction applies all its operations or none, and only if all its compares
// hold (compare-and-swap). Watches replay changes after a revision, then follow live ones. Leases expire
// keys that are not kept alive (host liveness). SqliteStore is the default implementation, MemoryStore
// serves unit tests; an etcd implementation maps one to one onto etcd's v3 KV, Watch and Lease APIs.
namespace Patchbay.Store;

/// <summary>One key as stored.</summary>
/// <param name="Lease">The lease that keeps the key alive, 0 for none.</param>
public sealed record StoreEntry(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision, long Version, long Lease);

/// <summary>A compare of a transaction: the key's mod revision must equal <paramref name="ModRevision"/>; 0 means the key must not exist.</summary>
public sealed record StoreCompare(string Key, long ModRevision)
{
    public static StoreCompare Absent(string key) => new(key, 0);
}

/// <summary>An operation of a transaction.</summary>
public abstract record StoreOp(string Key)
{
    /// <summary>Creates or replaces the key; <paramref name="Lease"/> 0 for none.</summary>
    public sealed record Put(string Key, ReadOnlyMemory<byte> Value, long Lease = 0) : StoreOp(Key);

    /// <summary>Deletes the key if it exists.</summary>
    public sealed record Delete(string Key) : StoreOp(Key);
}

/// <summary>The outcome of a transaction.</summary>
/// <param name="Revision">The store revision after the transaction (unchanged when it failed or changed nothing).</param>
/// <param name="FailedCompare">When it did not succeed: the first compare that did not hold.</param>
public sealed record StoreTxnResult(bool Succeeded, long Revision, StoreCompare? FailedCompare);

/// <summary>A page of keys under a prefix, read at one revision.</summary>
public sealed record StoreRange(IReadOnlyList<StoreEntry> Entries, long Revision);

public enum StoreEventType
{
    Put,
    Delete,
}

/// <summary>A change seen by a watch. For a delete, <see cref="Entry"/> has an empty value and the delete's revision as ModRevision.</summary>
public sealed record StoreEvent(StoreEventType Type, StoreEntry Entry, long Revision);

public interface IStore : IAsyncDisposable
{
    /// <summary>The revision of the last committed change (0 for an empty new store).</summary>
    ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default);

    ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every key that starts with <paramref name="prefix"/>, in ordinal key order, read at one revision.</summary>
    ValueTask<StoreRange> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="operations"/> atomically if every compare holds, else nothing. A put with a
    /// lease that does not exist (or expired) throws <see cref="StoreException"/> and applies nothing.
    /// </summary>
    ValueTask<StoreTxnResult> TxnAsync(IReadOnlyList<StoreCompare> compares, IReadOnlyList<StoreOp> operations, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes to keys under <paramref name="prefix"/> with revision greater than <paramref name="afterRevision"/>,
    /// first those already committed (in revision order), then live ones, until cancelled. Throws
    /// <see cref="StoreCompactedException"/> when history after that revision is no longer kept.
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default);

    /// <summary>Grants a lease that expires after <paramref name="ttl"/> unless kept alive; returns its id (never 0).</summary>
    ValueTask<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Restarts the lease's ttl; false when it does not exist (expired or revoked).</summary>
    ValueTask<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken = default);

    /// <summary>Revokes the lease and deletes its keys in one revision (delete events for each); false when it did not exist.</summary>
    ValueTask<bool> RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default);
}
