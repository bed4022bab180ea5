// The immutable pieces that conversation flows share. A match field or an instruction list depends on values (an
// address, a MAC, a port, a network id), not on the conversation, so each is built once and handed to every flow
// that carries it: the first-packet path plans four flows per conversation, and building their fields afresh
// was most of what it allocated. The pieces are grouped by what they depend on (an endpoint, a pair of hosts in
// a network, a traffic scope), so a conversation costs one lookup per group rather than one per field: the
// lookups are mostly cache misses in a table sized for thousands of endpoints. Bounded: past its capacity a
// cache starts over, and the values in use fill it again.
using System.Collections.Concurrent;

namespace Patchbay.Core.Planning;

internal sealed class SharedParts<TKey, TPart>(int capacity, Func<TKey, TPart> build)
    where TKey : struct, IEquatable<TKey>
    where TPart : class
{
    private readonly ConcurrentDictionary<TKey, TPart> _parts = new();
    private int _added;

    /// <summary>The parts for <paramref name="key"/>, built the first time (by a static function: it sees only the key).</summary>
    public TPart Get(TKey key)
    {
        if (_parts.TryGetValue(key, out TPart? part))
        {
            return part;
        }

        if (Interlocked.Increment(ref _added) > capacity)
        {
            _parts.Clear();
            Interlocked.Exchange(ref _added, 1);
        }

        return _parts.GetOrAdd(key, build(key));
    }
}
