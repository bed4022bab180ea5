// A queue of keys to reconcile, each waiting at most once (yarp's Kubernetes controller work queue): a key added
// again while it waits is not added twice, so a burst of changes to one endpoint costs one reconcile.
using System.Threading.Channels;

namespace Patchbay.Agent.Informer;

public sealed class WorkQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        lock (_waiting)
        {
            if (_waiting.Add(key))
            {
                _channel.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/> (a retry), unless cancelled first.</summary>
    public void AddAfter(string key, TimeSpan delay, CancellationToken cancellationToken) =>
        _ = Task.Delay(delay, cancellationToken).ContinueWith(_ => Add(key), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>The next key; it may be added again as soon as it is taken.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        string key = await _channel.Reader.ReadAsync(cancellationToken);
        lock (_waiting)
        {
            _waiting.Remove(key);
        }

        return key;
    }
}
