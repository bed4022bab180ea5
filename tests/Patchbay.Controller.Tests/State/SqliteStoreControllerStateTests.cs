// The model's contract over SqliteStore in a temporary data directory; a restart closes the database and
// opens it again, so everything a reopened state knows came from the file.
using Patchbay.Store;

namespace Patchbay.Controller.Tests.State;

public sealed class SqliteStoreControllerStateTests : ControllerStateContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pb-state-").FullName;

    protected override async Task<IStore> CreateStoreAsync() => await SqliteStore.OpenAsync(_directory);

    protected override async Task<IStore> ReopenStoreAsync(IStore store)
    {
        await store.DisposeAsync();
        return await SqliteStore.OpenAsync(_directory);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
