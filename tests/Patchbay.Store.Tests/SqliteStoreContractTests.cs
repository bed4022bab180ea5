// The store contract against SqliteStore, each store in a data directory of its own.
namespace Patchbay.Store.Tests;

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly List<TempDirectory> _directories = [];

    protected override async ValueTask<IStore> OpenStoreAsync(StoreOptions options)
    {
        TempDirectory directory = new();
        _directories.Add(directory);
        return await SqliteStore.OpenAsync(directory.Path, options);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (TempDirectory directory in _directories)
        {
            directory.Dispose();
        }
    }
}
