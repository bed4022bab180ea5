// The immutable pieces that conversation flows share. A match field or an instruction list depends on values (an
// address, a MAC, a port, a network id), not on the conversation, so each is built once and handed to every flow
// that carries it: the first-packet path plans four flows per conversation, and building their fields afresh
// was most of what it allocated. Bounded: past its capacity the cache starts over, and the values in use fill
// it again.
using System.Collections.Concurrent;

namespace Patchbay.Core.Planning;

internal sealed class SharedParts(int capacity)
{
    private readonly ConcurrentDictionary<Key, object> _parts = new();
    private int _added;

    public enum Kind : byte
    {
        NetworkMatch,
        Ipv4Src,
        Ipv4Dst,
        InPort,
        EthSrc,
        ForwardScope,
        ReverseScope,
        RemoteEgressInstructions,
        IngressInstructions,
    }

    /// <summary>The part for these values, built by <paramref name="build"/> (a static lambda: it sees only the key) the first time.</summary>
    public T Get<T>(Kind kind, ulong a, ulong b, ulong c, Func<Key, T> build)
        where T : class
    {
        var key = new Key(kind, a, b, c);
        if (_parts.TryGetValue(key, out object? part))
        {
            return (T)part;
        }

        if (Interlocked.Increment(ref _added) > capacity)
        {
            _parts.Clear();
            Interlocked.Exchange(ref _added, 1);
        }

        return (T)_parts.GetOrAdd(key, build(key));
    }

    public readonly record struct Key(Kind Kind, ulong A, ulong B, ulong C);
}
