// The behaviour every IStore implementation promises, written once. Each implementation gets a subclass that
// only says how to open a fresh store (MemoryStoreContractTests, SqliteStoreContractTests). Revisions are
// counted from the store's revision at open (Base), so an etcd subclass can open a store on a fresh key
// namespace of a shared etcd; it overrides AdvanceTimeAsync to really wait, since etcd keeps its own clock,
// and Revision_NewStore_IsZero, which only a store of its own can promise (docs/store.md).
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Patchbay.Store.Tests;

public abstract class StoreContractTests : IAsyncLifetime
{
    // A guard so a broken watch fails the test instead of hanging it; never a speed assertion.
    private static readonly TimeSpan WatchGuard = TimeSpan.FromSeconds(30);
    private readonly List<IStore> _stores = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// The store's revision when the test opened it (0 for a new store). Tests count revisions from here, so a
    /// store that cannot start at 0 (a namespace on a shared etcd) runs the same assertions.
    /// </summary>
    protected long Base { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (IStore store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Opens a new, empty store of the implementation under test with these options.</summary>
    protected abstract ValueTask<IStore> OpenStoreAsync(StoreOptions options);

    /// <summary>Moves the store's clock forward; a store on a real clock waits instead.</summary>
    protected virtual Task AdvanceTimeAsync(TimeSpan by)
    {
        Time.Advance(by);
        return Task.CompletedTask;
    }

    protected async Task<IStore> NewStoreAsync(int historyLimit = 10_000)
    {
        IStore store = await OpenStoreAsync(new StoreOptions { HistoryLimit = historyLimit, TimeProvider = Time, LeaseSweepInterval = TimeSpan.FromSeconds(1) });
        _stores.Add(store);
        Base = await store.RevisionAsync();
        return store;
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static async Task<StoreTxnResult> PutAsync(IStore store, string key, string value, long lease = 0) =>
        await store.TxnAsync([], [new StoreOp.Put(key, Bytes(value), lease)]);

    protected static async Task<StoreTxnResult> DeleteAsync(IStore store, string key) =>
        await store.TxnAsync([], [new StoreOp.Delete(key)]);

    protected static async Task<List<StoreEvent>> TakeAsync(IAsyncEnumerator<StoreEvent> watch, int count)
    {
        List<StoreEvent> events = [];
        while (events.Count < count)
        {
            Assert.True(await watch.MoveNextAsync(), $"the watch ended after {events.Count} of {count} events");
            events.Add(watch.Current);
        }

        return events;
    }

    /// <summary>The revision <paramref name="n"/> commits after the test opened its store.</summary>
    protected long Rev(long n) => Base + n;

    protected static IAsyncEnumerator<StoreEvent> StartWatch(IStore store, string prefix, long afterRevision) =>
        store.WatchAsync(prefix, afterRevision, new CancellationTokenSource(WatchGuard).Token).GetAsyncEnumerator();

    protected string Describe(StoreEvent e) =>
        $"{e.Revision - Base} {e.Type} {e.Entry.Key}={Encoding.UTF8.GetString(e.Entry.Value.Span)}";

    [Fact]
    public virtual async Task Revision_NewStore_IsZero()
    {
        IStore store = await NewStoreAsync();

        Assert.Equal(0, await store.RevisionAsync());
        Assert.Null(await store.GetAsync("/v1/none"));
        Assert.Empty((await store.ListAsync("")).Entries);
    }

    [Fact]
    public async Task Put_NewKey_CreateAndModRevisionAreTheNewRevisionAndVersionIsOne()
    {
        IStore store = await NewStoreAsync();

        StoreTxnResult result = await PutAsync(store, "/v1/a", "one");

        Assert.True(result.Succeeded);
        Assert.Equal(Rev(1), result.Revision);
        Assert.Null(result.FailedCompare);
        StoreEntry entry = Assert.IsType<StoreEntry>(await store.GetAsync("/v1/a"));
        Assert.Equal("/v1/a", entry.Key);
        Assert.Equal("one", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal((Rev(1), Rev(1), 1L, 0L), (entry.CreateRevision, entry.ModRevision, entry.Version, entry.Lease));
        Assert.Equal(Rev(1), await store.RevisionAsync());
    }

    [Fact]
    public async Task Put_ExistingKey_KeepsCreateRevisionAndBumpsModRevisionAndVersion()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");
        await PutAsync(store, "/v1/other", "x");

        await PutAsync(store, "/v1/a", "two");

        StoreEntry entry = Assert.IsType<StoreEntry>(await store.GetAsync("/v1/a"));
        Assert.Equal("two", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal((Rev(1), Rev(3), 2L), (entry.CreateRevision, entry.ModRevision, entry.Version));
    }

    [Fact]
    public async Task Put_BinaryAndEmptyValues_RoundTripByteForByte()
    {
        IStore store = await NewStoreAsync();
        byte[] binary = [0, 255, 1, 0, 128, 10, 13];
        byte[] buffer = (byte[])binary.Clone();

        await store.TxnAsync([], [new StoreOp.Put("/v1/bin", buffer), new StoreOp.Put("/v1/empty", ReadOnlyMemory<byte>.Empty)]);
        buffer[0] = 42;

        Assert.Equal(binary, (await store.GetAsync("/v1/bin"))!.Value.ToArray());
        Assert.Empty((await store.GetAsync("/v1/empty"))!.Value.ToArray());
    }

    [Fact]
    public async Task Delete_ExistingKey_RemovesItInANewRevision()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");

        StoreTxnResult result = await DeleteAsync(store, "/v1/a");

        Assert.True(result.Succeeded);
        Assert.Equal(Rev(2), result.Revision);
        Assert.Null(await store.GetAsync("/v1/a"));
    }

    [Fact]
    public async Task Delete_MissingKey_SucceedsAndLeavesRevisionUnchanged()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");

        StoreTxnResult result = await DeleteAsync(store, "/v1/missing");

        Assert.True(result.Succeeded);
        Assert.Equal(Rev(1), result.Revision);
        Assert.Equal(Rev(1), await store.RevisionAsync());
    }

    [Fact]
    public async Task Put_AfterDelete_StartsANewLifeWithVersionOne()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");
        await PutAsync(store, "/v1/a", "two");
        await DeleteAsync(store, "/v1/a");

        await PutAsync(store, "/v1/a", "three");

        StoreEntry entry = Assert.IsType<StoreEntry>(await store.GetAsync("/v1/a"));
        Assert.Equal((Rev(4), Rev(4), 1L), (entry.CreateRevision, entry.ModRevision, entry.Version));
    }

    [Fact]
    public async Task List_Prefix_ReturnsOnlyItsKeysInOrdinalOrder()
    {
        IStore store = await NewStoreAsync();
        string[] keys = ["/v1/nets/b", "/v1/nets/a/2", "/v1/netsx", "/v1/nets/A", "/v1/nets/a/10", "/v1/net", "/v1/nets/\u00e9", "/v1/nets/Z"];
        foreach (string key in keys)
        {
            await PutAsync(store, key, key);
        }

        StoreRange range = await store.ListAsync("/v1/nets/");

        Assert.Equal(["/v1/nets/A", "/v1/nets/Z", "/v1/nets/a/10", "/v1/nets/a/2", "/v1/nets/b", "/v1/nets/\u00e9"], range.Entries.Select(e => e.Key));
        Assert.All(range.Entries, e => Assert.Equal(e.Key, Encoding.UTF8.GetString(e.Value.Span)));
        Assert.Equal(Rev(keys.Length), range.Revision);
        Assert.Equal(keys.Length, (await store.ListAsync("")).Entries.Count);
    }

    [Fact]
    public async Task List_WhileWritersRun_ReturnsExactlyTheKeysOfItsRevision()
    {
        IStore store = await NewStoreAsync();
        // Key i is written at revision i, so a consistent read at revision R holds exactly keys 1..R.
        Task writer = Task.Run(async () =>
        {
            for (int i = 1; i <= 200; i++)
            {
                await PutAsync(store, $"/v1/k/{i:D4}", "v");
            }
        });

        for (int reads = 0; reads < 50 && !writer.IsCompleted; reads++)
        {
            StoreRange range = await store.ListAsync("/v1/k/");
            Assert.Equal(Enumerable.Range(1, (int)(range.Revision - Base)).Select(i => $"/v1/k/{i:D4}"), range.Entries.Select(e => e.Key));
        }

        await writer;
        StoreRange final = await store.ListAsync("/v1/k/");
        Assert.Equal(Rev(200), final.Revision);
        Assert.Equal(200, final.Entries.Count);
    }

    [Fact]
    public async Task Txn_SeveralOperations_AppliedInOneRevision()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/old", "x");

        StoreTxnResult result = await store.TxnAsync(
            [StoreCompare.Absent("/v1/a")],
            [new StoreOp.Put("/v1/a", Bytes("a")), new StoreOp.Put("/v1/b", Bytes("b")), new StoreOp.Delete("/v1/old")]);

        Assert.True(result.Succeeded);
        Assert.Equal(Rev(2), result.Revision);
        Assert.Equal(Rev(2), (await store.GetAsync("/v1/a"))!.ModRevision);
        Assert.Equal(Rev(2), (await store.GetAsync("/v1/b"))!.ModRevision);
        Assert.Null(await store.GetAsync("/v1/old"));
    }

    [Fact]
    public async Task Txn_CompareFails_AppliesNothingAndNamesTheFailedCompare()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");
        await PutAsync(store, "/v1/b", "one");
        StoreCompare stale = new("/v1/b", 1);

        StoreTxnResult result = await store.TxnAsync(
            [new StoreCompare("/v1/a", 1), stale, StoreCompare.Absent("/v1/c")],
            [new StoreOp.Put("/v1/a", Bytes("two")), new StoreOp.Delete("/v1/b"), new StoreOp.Put("/v1/c", Bytes("new"))]);

        Assert.False(result.Succeeded);
        Assert.Equal(stale, result.FailedCompare);
        Assert.Equal(Rev(2), result.Revision);
        Assert.Equal(Rev(2), await store.RevisionAsync());
        Assert.Equal("one", Encoding.UTF8.GetString((await store.GetAsync("/v1/a"))!.Value.Span));
        Assert.NotNull(await store.GetAsync("/v1/b"));
        Assert.Null(await store.GetAsync("/v1/c"));
    }

    [Fact]
    public async Task Txn_AbsentCompare_HoldsOnlyWhileTheKeyDoesNotExist()
    {
        IStore store = await NewStoreAsync();

        StoreTxnResult first = await store.TxnAsync([StoreCompare.Absent("/v1/a")], [new StoreOp.Put("/v1/a", Bytes("first"))]);
        StoreTxnResult second = await store.TxnAsync([StoreCompare.Absent("/v1/a")], [new StoreOp.Put("/v1/a", Bytes("second"))]);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal(StoreCompare.Absent("/v1/a"), second.FailedCompare);
        Assert.Equal("first", Encoding.UTF8.GetString((await store.GetAsync("/v1/a"))!.Value.Span));
    }

    [Fact]
    public async Task Txn_ConcurrentCompareAndSwapOnOneKey_ExactlyOneWins()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/counter", "0");
        long seen = (await store.GetAsync("/v1/counter"))!.ModRevision;

        StoreTxnResult[] results = await Task.WhenAll(Enumerable.Range(1, 8).Select(writer => Task.Run(async () =>
            await store.TxnAsync([new StoreCompare("/v1/counter", seen)], [new StoreOp.Put("/v1/counter", Bytes($"writer {writer}"))]))));

        int winner = Assert.Single(Enumerable.Range(1, 8), i => results[i - 1].Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("/v1/counter", r.FailedCompare!.Key));
        StoreEntry entry = (await store.GetAsync("/v1/counter"))!;
        Assert.Equal($"writer {winner}", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal(2, entry.Version);
        Assert.Equal(Rev(2), await store.RevisionAsync());
    }

    [Fact]
    public async Task Txn_ConcurrentCreatesOfOneName_ExactlyOneWins()
    {
        IStore store = await NewStoreAsync();

        StoreTxnResult[] results = await Task.WhenAll(Enumerable.Range(1, 8).Select(writer => Task.Run(async () =>
            await store.TxnAsync([StoreCompare.Absent("/v1/tenants/t1")], [new StoreOp.Put("/v1/tenants/t1", Bytes($"{writer}"))]))));

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(Rev(1), await store.RevisionAsync());
    }

    [Fact]
    public async Task Txn_PutWithUnknownLease_ThrowsAndAppliesNothing()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "one");

        StoreException error = await Assert.ThrowsAnyAsync<StoreException>(async () =>
            await store.TxnAsync([], [new StoreOp.Put("/v1/a", Bytes("two")), new StoreOp.Put("/v1/hosts/h1", Bytes("up"), Lease: 12345)]));

        Assert.Contains("lease 12345", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/hosts/h1", error.Message, StringComparison.Ordinal);
        Assert.Equal(Rev(1), await store.RevisionAsync());
        Assert.Equal("one", Encoding.UTF8.GetString((await store.GetAsync("/v1/a"))!.Value.Span));
        Assert.Null(await store.GetAsync("/v1/hosts/h1"));
    }

    [Fact]
    public async Task Txn_SameKeyTwice_ThrowsAndAppliesNothing()
    {
        IStore store = await NewStoreAsync();

        StoreException error = await Assert.ThrowsAnyAsync<StoreException>(async () =>
            await store.TxnAsync([], [new StoreOp.Put("/v1/a", Bytes("one")), new StoreOp.Delete("/v1/a")]));

        Assert.Contains("/v1/a", error.Message, StringComparison.Ordinal);
        Assert.Equal(Rev(0), await store.RevisionAsync());
    }

    [Fact]
    public async Task Watch_AfterRevision_ReplaysHistoryThenFollowsLiveChangesInOrder()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "1");
        await PutAsync(store, "/v1/b", "2");
        await DeleteAsync(store, "/v1/a");

        await using IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "/v1/", Rev(1));
        List<StoreEvent> replayed = await TakeAsync(watch, 2);
        await store.TxnAsync([], [new StoreOp.Put("/v1/c", Bytes("3")), new StoreOp.Put("/v1/b", Bytes("4"))]);
        await PutAsync(store, "/v1/d", "5");
        List<StoreEvent> live = await TakeAsync(watch, 3);

        Assert.Equal(["2 Put /v1/b=2", "3 Delete /v1/a=", "4 Put /v1/c=3", "4 Put /v1/b=4", "5 Put /v1/d=5"], replayed.Concat(live).Select(Describe));
        StoreEvent update = live[1];
        Assert.Equal((Rev(2), Rev(4), 2L), (update.Entry.CreateRevision, update.Entry.ModRevision, update.Entry.Version));
        Assert.Equal(Rev(3), replayed[1].Entry.ModRevision);
    }

    [Fact]
    public async Task Watch_StartedWhileWritersRun_SeesEveryRevisionOnceInOrder()
    {
        IStore store = await NewStoreAsync();
        // Two writers under the watched prefix; every 15 puts the first starts a watch from the beginning, so 20
        // watches join replayed history and live events at different points while the other writer commits.
        // None may drop or repeat an event. A stress check: a join that is wrong only within a few microseconds
        // of a commit may pass it; the code argues that case.
        List<(IAsyncEnumerator<StoreEvent> Watch, Task<List<StoreEvent>> Events)> watches = [];
        Task other = Task.Run(async () =>
        {
            for (int i = 1; i <= 300; i++)
            {
                await PutAsync(store, $"/v1/k/b{i:D3}", "b");
            }
        });
        for (int i = 1; i <= 300; i++)
        {
            await PutAsync(store, $"/v1/k/a{i:D3}", "a");
            if (i % 15 == 0)
            {
                IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "/v1/k/", Rev(0));
                watches.Add((watch, TakeAsync(watch, 600)));
            }
        }

        await other;
        Assert.Equal(20, watches.Count);
        IEnumerable<string> expected = Enumerable.Range(1, 300).SelectMany(i => new[] { $"/v1/k/a{i:D3}", $"/v1/k/b{i:D3}" }).Order(StringComparer.Ordinal);
        foreach ((IAsyncEnumerator<StoreEvent> watch, Task<List<StoreEvent>> events) in watches)
        {
            List<StoreEvent> seen = await events;
            Assert.Equal(Enumerable.Range(1, 600).Select(n => Rev(n)), seen.Select(e => e.Revision));
            Assert.Equal(expected, seen.Select(e => e.Entry.Key).Order(StringComparer.Ordinal));
            await watch.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watch_Prefix_SeesOnlyItsKeys()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/hosts/h1", "x");
        await PutAsync(store, "/v1/nets/n1", "x");

        await using IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "/v1/hosts/", Rev(0));
        await PutAsync(store, "/v1/nets/n2", "x");
        await PutAsync(store, "/v1/hostsx", "x");
        await PutAsync(store, "/v1/hosts/h2", "x");

        Assert.Equal(["1 Put /v1/hosts/h1=x", "5 Put /v1/hosts/h2=x"], (await TakeAsync(watch, 2)).Select(Describe));
    }

    [Fact]
    public async Task Watch_AfterCurrentRevision_WaitsForTheNextChange()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "1");

        await using IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "", await store.RevisionAsync());
        ValueTask<bool> next = watch.MoveNextAsync();
        await PutAsync(store, "/v1/a", "2");

        Assert.True(await next);
        Assert.Equal("2 Put /v1/a=2", Describe(watch.Current));
    }

    [Fact]
    public async Task Watch_Cancelled_StopsWithOperationCanceled()
    {
        IStore store = await NewStoreAsync();
        using CancellationTokenSource cancel = new();
        await using IAsyncEnumerator<StoreEvent> watch = store.WatchAsync("", 0, cancel.Token).GetAsyncEnumerator();
        ValueTask<bool> next = watch.MoveNextAsync();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task Watch_NegativeRevision_IsRefused()
    {
        IStore store = await NewStoreAsync();

        await using IAsyncEnumerator<StoreEvent> watch = store.WatchAsync("", -1).GetAsyncEnumerator();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await watch.MoveNextAsync());
    }

    [Fact]
    public async Task Watch_FromACompactedRevision_ThrowsStoreCompactedException()
    {
        IStore store = await NewStoreAsync(historyLimit: 3);
        for (int i = 1; i <= 5; i++)
        {
            await PutAsync(store, $"/v1/k{i}", "x");
        }

        await using IAsyncEnumerator<StoreEvent> tooOld = StartWatch(store, "", Rev(1));
        StoreCompactedException error = await Assert.ThrowsAsync<StoreCompactedException>(async () => await tooOld.MoveNextAsync());

        Assert.Equal(Rev(1), error.RequestedRevision);
        Assert.Equal(Rev(2), error.CompactedRevision);
        Assert.Contains($"revision {Rev(1)}", error.Message, StringComparison.Ordinal);
        await using IAsyncEnumerator<StoreEvent> oldestKept = StartWatch(store, "", Rev(2));
        Assert.Equal(["3 Put /v1/k3=x", "4 Put /v1/k4=x", "5 Put /v1/k5=x"], (await TakeAsync(oldestKept, 3)).Select(Describe));
    }

    [Fact]
    public async Task Lease_Expiry_DeletesItsKeysInOneRevisionWithDeleteEvents()
    {
        IStore store = await NewStoreAsync();
        long lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, lease);
        await store.TxnAsync([], [new StoreOp.Put("/v1/hosts/h1", Bytes("up"), lease), new StoreOp.Put("/v1/hosts/h1/port", Bytes("3"), lease)]);
        await PutAsync(store, "/v1/hosts/h2", "up");
        await using IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "/v1/hosts/", await store.RevisionAsync());

        await AdvanceTimeAsync(TimeSpan.FromSeconds(9));
        Assert.NotNull(await store.GetAsync("/v1/hosts/h1"));
        await AdvanceTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(["3 Delete /v1/hosts/h1=", "3 Delete /v1/hosts/h1/port="], (await TakeAsync(watch, 2)).Select(Describe));
        Assert.Null(await store.GetAsync("/v1/hosts/h1"));
        Assert.Null(await store.GetAsync("/v1/hosts/h1/port"));
        Assert.NotNull(await store.GetAsync("/v1/hosts/h2"));
        Assert.Equal(Rev(3), await store.RevisionAsync());
        Assert.False(await store.KeepAliveAsync(lease));
        await Assert.ThrowsAnyAsync<StoreException>(async () => await PutAsync(store, "/v1/hosts/h1", "again", lease));
    }

    [Fact]
    public async Task Lease_KeepAlive_ExtendsItsLife()
    {
        IStore store = await NewStoreAsync();
        long lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));
        await PutAsync(store, "/v1/hosts/h1", "up", lease);

        for (int beat = 0; beat < 3; beat++)
        {
            await AdvanceTimeAsync(TimeSpan.FromSeconds(8));
            Assert.True(await store.KeepAliveAsync(lease));
        }

        await AdvanceTimeAsync(TimeSpan.FromSeconds(8));
        Assert.NotNull(await store.GetAsync("/v1/hosts/h1"));
        await AdvanceTimeAsync(TimeSpan.FromSeconds(3));
        Assert.Null(await store.GetAsync("/v1/hosts/h1"));
    }

    [Fact]
    public async Task Lease_KeepAliveOrRevokeUnknown_ReturnsFalse()
    {
        IStore store = await NewStoreAsync();

        Assert.False(await store.KeepAliveAsync(987));
        Assert.False(await store.RevokeLeaseAsync(987));
    }

    [Fact]
    public async Task Lease_Revoke_DeletesItsKeysInOneRevision()
    {
        IStore store = await NewStoreAsync();
        long lease = await store.GrantLeaseAsync(TimeSpan.FromMinutes(1));
        long other = await store.GrantLeaseAsync(TimeSpan.FromMinutes(1));
        Assert.NotEqual(lease, other);
        await store.TxnAsync([], [new StoreOp.Put("/v1/a", Bytes("a"), lease), new StoreOp.Put("/v1/b", Bytes("b"), lease), new StoreOp.Put("/v1/c", Bytes("c"), other)]);
        await using IAsyncEnumerator<StoreEvent> watch = StartWatch(store, "", Rev(1));

        Assert.True(await store.RevokeLeaseAsync(lease));

        Assert.Equal(["2 Delete /v1/a=", "2 Delete /v1/b="], (await TakeAsync(watch, 2)).Select(Describe));
        Assert.Equal(["/v1/c"], (await store.ListAsync("")).Entries.Select(e => e.Key));
        Assert.False(await store.RevokeLeaseAsync(lease));
        Assert.True(await store.KeepAliveAsync(other));
    }

    [Fact]
    public async Task Lease_KeyRewrittenWithoutLease_SurvivesTheLease()
    {
        IStore store = await NewStoreAsync();
        long lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(5));
        await PutAsync(store, "/v1/a", "leased", lease);
        await PutAsync(store, "/v1/b", "leased", lease);

        await PutAsync(store, "/v1/a", "kept");
        await AdvanceTimeAsync(TimeSpan.FromSeconds(6));

        StoreEntry kept = Assert.IsType<StoreEntry>(await store.GetAsync("/v1/a"));
        Assert.Equal(0, kept.Lease);
        Assert.Null(await store.GetAsync("/v1/b"));
    }

    [Fact]
    public async Task Lease_ExpiredWithoutKeys_LeavesRevisionUnchanged()
    {
        IStore store = await NewStoreAsync();
        await PutAsync(store, "/v1/a", "x");
        long lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(1));

        await AdvanceTimeAsync(TimeSpan.FromSeconds(2));

        Assert.False(await store.KeepAliveAsync(lease));
        Assert.Equal(Rev(1), await store.RevisionAsync());
    }
}
