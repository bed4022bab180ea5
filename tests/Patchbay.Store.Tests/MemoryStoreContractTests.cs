// The store contract against MemoryStore.
namespace Patchbay.Store.Tests;

public sealed class MemoryStoreContractTests : StoreContractTests
{
    protected override ValueTask<IStore> OpenStoreAsync(StoreOptions options) => ValueTask.FromResult<IStore>(new MemoryStore(options));
}
