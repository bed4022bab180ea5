// One open watch inside a store: the filter it asked for and the queue its live events wait in.
using System.Threading.Channels;

namespace Patchbay.Store;

internal sealed class StoreWatcher(string prefix, long afterRevision)
{
    // Unbounded: a commit never waits for a slow watcher; the watcher's own reader drains it.
    public Channel<StoreEvent> Events { get; } = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    public bool Wants(StoreEvent change) =>
        change.Revision > afterRevision && change.Entry.Key.StartsWith(prefix, StringComparison.Ordinal);

    public void Offer(StoreEvent change)
    {
        if (Wants(change))
        {
            Events.Writer.TryWrite(change);
        }
    }
}
