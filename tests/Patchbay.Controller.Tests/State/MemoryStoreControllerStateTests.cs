// The model's contract over MemoryStore; a restart reopens the state on the same store instance.
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public sealed class MemoryStoreControllerStateTests : ControllerStateContractTests
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore());

    protected override Task<IStore> ReopenStoreAsync(IStore store) => Task.FromResult(store);
}
