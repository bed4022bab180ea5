// A store whose commits take a while, so that requests handled at the same time overlap in the state: a
// read-merge-write that is not serialized loses updates on it.
using Patchbay.Store;

namespace Patchbay.Controller.Tests.Api;

internal sealed class SlowCommitStore(IStore inner) : IStore
{
    private static readonly TimeSpan CommitDelay = TimeSpan.FromMilliseconds(30);

    public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) => inner.RevisionAsync(cancellationToken);

    public ValueTask<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public ValueTask<StoreRange> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public async ValueTask<StoreTxnResult> TxnAsync(IReadOnlyList<StoreCompare> compares, IReadOnlyList<StoreOp> operations, CancellationToken cancellationToken = default)
    {
        await Task.Delay(CommitDelay, cancellationToken);
        return await inner.TxnAsync(compares, operations, cancellationToken);
    }

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, afterRevision, cancellationToken);

    public ValueTask<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(ttl, cancellationToken);

    public ValueTask<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken = default) => inner.KeepAliveAsync(lease, cancellationToken);

    public ValueTask<bool> RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(lease, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
