// Settings shared by the store implementations.
namespace Patchbay.Store;

public sealed record StoreOptions
{
    /// <summary>How many of the latest change events are kept for watches that start in the past.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    /// <summary>The clock that leases expire by; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often expired leases are swept when nothing else touches the store (reads and transactions also sweep).</summary>
    public TimeSpan LeaseSweepInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryLimit, 1, nameof(HistoryLimit));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseSweepInterval, TimeSpan.Zero, nameof(LeaseSweepInterval));
    }
}
