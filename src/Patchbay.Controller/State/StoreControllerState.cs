// IControllerState on the durable store. The whole model is loaded at start into a ModelIndex that
// answers every read from memory (the first-packet path reads on every PACKET_IN). A change is planned
// against the index, refused with a ControllerStateException before anything is written, and otherwise
// committed as one store transaction whose compares are the mod revisions it read (compare-and-swap);
// the index changes only after the commit. Writers are serialised, so two concurrent changes never both
// win; if another writer changed the store underneath, the index is reloaded and the change planned again.
using Patchbay.Core.Model;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.State;

public sealed record StoreControllerStateOptions
{
    /// <summary>Ended conversations kept for GET /v1/conversations; the oldest go first.</summary>
    public int EndedConversationHistory { get; init; } = 1024;

    /// <summary>
    /// Conversation ids reserved in the store at a time. A new block is reserved in the background when half
    /// of the current one is used; a restart begins above the last reserved block.
    /// </summary>
    public ulong ConversationIdBlock { get; init; } = 4096;
}

public sealed partial class StoreControllerState : IControllerState, IAsyncDisposable
{
    /// <summary>The OUI-like prefix of allocated endpoint MACs: locally administered, unicast (0e:50:42).</summary>
    public const ulong EndpointMacPrefix = 0x0e_50_42_00_00_00UL;

    private const uint MaxAllocatedMacId = 0x00ff_ffff;

    // A change whose compares fail (another writer changed the store) is planned again on a fresh index.
    private const int MaxAttempts = 3;

    private readonly TimeProvider _time;
    private readonly StoreControllerStateOptions _options;
    private readonly LiveConversations _live;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IStore? _store;
    private ModelIndex _index = new();
    private bool _stale;

    internal StoreControllerState(TimeProvider time, StoreControllerStateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? new StoreControllerStateOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ConversationIdBlock, 2UL, nameof(options));
        _live = new LiveConversations(_options.EndedConversationHistory);
    }

    public bool IsReady => _loaded.Task.IsCompletedSuccessfully;

    /// <summary>
    /// Loads the model from <paramref name="store"/> (creating the default tenant in an empty one), marks every
    /// host Registered until its switch reconnects, and reserves conversation ids.
    /// </summary>
    public static async Task<StoreControllerState> OpenAsync(IStore store, TimeProvider time, StoreControllerStateOptions? options = null, CancellationToken cancellationToken = default)
    {
        var state = new StoreControllerState(time, options);
        try
        {
            await state.LoadAsync(store, cancellationToken).ConfigureAwait(false);
            return state;
        }
        catch
        {
            await state.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Loads the model; changes wait until this has succeeded.</summary>
    internal async Task LoadAsync(IStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                ModelIndex index = ModelIndex.Load(await store.ListAsync(ModelKeys.Root, cancellationToken).ConfigureAwait(false));
                var change = new Change();
                ulong lastConversation = index.Ids?.Value.Conversation ?? 0;
                IdsDocument ids = index.Ids?.Value ?? FirstIds(index, change);
                ids = ids with { Conversation = lastConversation + _options.ConversationIdBlock };
                change.WriteIds(index, ids);

                // No switch is connected to a controller that is just starting; each becomes Connected again when it reconnects.
                foreach (Versioned<Host> host in index.Hosts.Values.Where(h => h.Value.State != HostState.Registered))
                {
                    change.Expect(ModelKeys.Host(host.Value.Name), host.ModRevision);
                    PutHost(change, host.Value with { State = HostState.Registered });
                }
                StoreTxnResult result = await store.TxnAsync(change.Compares, change.Operations, cancellationToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    change.Apply(index, result.Revision);
                    lock (_lock)
                    {
                        _store = store;
                        _index = index;
                    }

                    PolicyInputsChanged(null);
                    _lastConversationId = lastConversation;
                    Volatile.Write(ref _conversationMark, ids.Conversation);
                    _loaded.TrySetResult();
                    return;
                }

                if (attempt == MaxAttempts)
                {
                    throw new StoreException($"the store kept changing while the controller loaded it ({result.FailedCompare?.Key} changed); is another controller writing to it?");
                }
            }
        }
        catch (Exception e)
        {
            // Changes waiting for the load fail with its reason instead of waiting forever.
            _loaded.TrySetException(e);
            throw;
        }
        finally
        {
            _writer.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task reservation;
        lock (_reservationLock)
        {
            reservation = _reservation;
        }

        await reservation.ConfigureAwait(false);
        _writer.Dispose();
    }

    /// <summary>The MAC allocated to endpoint <paramref name="id"/> when none is requested: 0e:50:42 and the id's low 24 bits.</summary>
    public static MacAddress AllocatedMac(uint id)
    {
        if (id > MaxAllocatedMacId)
        {
            throw ControllerStateException.Conflict("MACs exhausted", $"endpoint id {id} is beyond the {MaxAllocatedMacId} MACs the controller allocates; pass a mac");
        }

        return new MacAddress(EndpointMacPrefix | id);
    }

    // The first start of an empty store: the id counters (above any id a partial store already holds) and the default tenant.
    private IdsDocument FirstIds(ModelIndex index, Change change)
    {
        var ids = new IdsDocument(
            index.Tenants.Values.Select(t => t.Value.Id).DefaultIfEmpty().Max(),
            index.Networks.Values.Select(n => n.Value.Id).DefaultIfEmpty().Max(),
            index.Endpoints.Values.Select(e => e.Value.Id).DefaultIfEmpty().Max(),
            0);
        if (index.Tenants.ContainsKey(Tenant.DefaultName))
        {
            return ids;
        }

        var tenant = new Tenant(ids.Tenant + 1, Tenant.DefaultName, ModelRules.Freeze(null), _time.GetUtcNow());
        change.Expect(ModelKeys.Tenant(tenant.Name), null);
        PutTenant(change, tenant);
        return ids with { Tenant = tenant.Id };
    }

    // Plans a change on the index (refusing it by throwing), commits it, then applies it to the index.
    private async Task<T> CommitAsync<T>(Func<ModelIndex, Change, T> plan, CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IStore store = _store!;
            for (int attempt = 1; ; attempt++)
            {
                if (_stale)
                {
                    await ReloadAsync(store).ConfigureAwait(false);
                }

                var change = new Change();
                T result = plan(_index, change);
                if (change.Operations.Count == 0)
                {
                    return result;
                }

                StoreTxnResult committed;
                try
                {
                    // Not cancellable: a commit the caller stopped waiting for must still reach the index.
                    committed = await store.TxnAsync(change.Compares, change.Operations, CancellationToken.None).ConfigureAwait(false);
                }
                catch
                {
                    // The store may or may not have applied it; the next change re-reads the truth.
                    _stale = true;
                    throw;
                }

                if (committed.Succeeded)
                {
                    lock (_lock)
                    {
                        change.Apply(_index, committed.Revision);
                    }

                    PolicyInputsChanged(change.Operations);

                    return result;
                }

                _stale = true;
                if (attempt == MaxAttempts)
                {
                    throw ControllerStateException.Conflict(
                        "Store changed",
                        $"another writer kept changing the store ({committed.FailedCompare?.Key} changed under this request); retry it");
                }
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task ReloadAsync(IStore store)
    {
        ModelIndex index = ModelIndex.Load(await store.ListAsync(ModelKeys.Root, CancellationToken.None).ConfigureAwait(false));
        if (index.Ids is null)
        {
            throw new InvalidDataException($"the store lost {ModelKeys.Ids}; restart the controller to re-create it");
        }

        lock (_lock)
        {
            _index = index;
        }

        PolicyInputsChanged(null);
        _stale = false;
    }

    /// <summary>One store transaction in the making: its compares, its operations, and the index edits to run after the commit.</summary>
    private sealed class Change
    {
        private readonly List<Action<ModelIndex, long>> _edits = [];

        public List<StoreCompare> Compares { get; } = [];

        public List<StoreOp> Operations { get; } = [];

        /// <summary>The key must still be at the revision the plan read; null means it must not exist.</summary>
        public void Expect(string key, long? modRevision) => Compares.Add(new StoreCompare(key, modRevision ?? 0));

        /// <summary>No tenant, network or endpoint was created since the plan read the index (they all bump the id counters).</summary>
        public void ExpectNoCreations(ModelIndex index) => Expect(ModelKeys.Ids, index.Ids!.Value.ModRevision);

        public void Put(string key, ReadOnlyMemory<byte> value) => Operations.Add(new StoreOp.Put(key, value));

        public void Delete(string key) => Operations.Add(new StoreOp.Delete(key));

        public void Then(Action<ModelIndex, long> edit) => _edits.Add(edit);

        /// <summary>Writes the id counters, if they did not change since the plan read them.</summary>
        public void WriteIds(ModelIndex index, IdsDocument ids)
        {
            Expect(ModelKeys.Ids, index.Ids?.ModRevision);
            Put(ModelKeys.Ids, ModelJsonContext.Encode(ids, ModelJsonContext.Default.IdsDocument));
            Then((i, revision) => i.SetIds(ids, revision));
        }

        public void Apply(ModelIndex index, long revision)
        {
            foreach (Action<ModelIndex, long> edit in _edits)
            {
                edit(index, revision);
            }
        }
    }
}
