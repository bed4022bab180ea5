// Base of the end-to-end test classes: each test gets a fresh BridgeLab, and the lab is torn down even
// when the arrangement itself fails (xunit does not call DisposeAsync after a failed InitializeAsync).
namespace Patchbay.EndToEnd.Tests.Infrastructure;

public abstract class BridgeLabTest : IAsyncLifetime
{
    private BridgeLab? _lab;

    internal BridgeLab Lab => _lab ?? throw new InvalidOperationException("the lab is not running");

    public async Task InitializeAsync()
    {
        using var timeout = TestTimeout.Start();
        _lab = await BridgeLab.StartAsync(timeout.Token);
        try
        {
            await ArrangeAsync(timeout.Token);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Interlocked.Exchange(ref _lab, null) is { } lab)
        {
            await lab.DisposeAsync();
        }
    }

    /// <summary>Per-class setup after the lab is up (connect the bridge, plug containers).</summary>
    private protected virtual Task ArrangeAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
