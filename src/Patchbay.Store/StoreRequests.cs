// Argument checks every implementation applies before touching its state, so they refuse the same requests
// with the same messages.
namespace Patchbay.Store;

internal static class StoreRequests
{
    public static void CheckKey(string key, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        if (key.Length == 0)
        {
            throw new ArgumentException("a store key must not be empty", parameterName);
        }
    }

    public static void CheckTxn(IReadOnlyList<StoreCompare> compares, IReadOnlyList<StoreOp> operations)
    {
        ArgumentNullException.ThrowIfNull(compares);
        ArgumentNullException.ThrowIfNull(operations);
        foreach (StoreCompare compare in compares)
        {
            ArgumentNullException.ThrowIfNull(compare, nameof(compares));
            CheckKey(compare.Key, nameof(compares));
            if (compare.ModRevision < 0)
            {
                throw new ArgumentException($"compare on '{compare.Key}': mod revision {compare.ModRevision} is negative", nameof(compares));
            }
        }

        HashSet<string> seen = new(StringComparer.Ordinal);
        foreach (StoreOp op in operations)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(operations));
            CheckKey(op.Key, nameof(operations));
            if (!seen.Add(op.Key))
            {
                throw new StoreException($"key '{op.Key}' appears more than once in one transaction");
            }

            if (op is StoreOp.Put { Lease: < 0 } put)
            {
                throw UnknownLease(put.Key, put.Lease);
            }
        }
    }

    public static void CheckTtl(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a lease ttl must be positive");
        }
    }

    public static StoreException UnknownLease(string key, long lease) =>
        new($"put of '{key}': lease {lease} does not exist (never granted, expired or revoked)");

    /// <summary>The entry a delete event carries: the key, no value, the delete's revision (etcd's shape).</summary>
    public static StoreEntry Deleted(string key, long revision) => new(key, ReadOnlyMemory<byte>.Empty, 0, revision, 0, 0);
}
