// A dictionary in stripes, each a plain Dictionary under its own lock, for the maps every first packet adds to
// (conversations by id, a live entry's key by id). A ConcurrentDictionary allocates a node object per entry and
// new nodes for all of them whenever it grows, so a million live conversations were a million extra objects that
// every collection of the old generation walked and every resize copied; here an entry is a struct in its
// stripe's array, and a stripe grows alone, so no lock is held while the whole map grows.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Patchbay.Controller.State;

internal sealed class StripedDictionary<TKey, TValue>
    where TKey : notnull
{
    // A power of two: the stripe is the key's hash masked.
    private const int StripeCount = 64;

    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Stripe())];

    public bool TryAdd(TKey key, TValue value)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            return stripe.Entries.TryAdd(key, value);
        }
    }

    public void Set(TKey key, TValue value)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            stripe.Entries[key] = value;
        }
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            return stripe.Entries.TryGetValue(key, out value!);
        }
    }

    public bool ContainsKey(TKey key)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            return stripe.Entries.ContainsKey(key);
        }
    }

    public bool TryRemove(TKey key, out TValue value)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            return stripe.Entries.Remove(key, out value!);
        }
    }

    /// <summary>Removes the entry only while it still holds <paramref name="expected"/>.</summary>
    public bool TryRemove(TKey key, TValue expected)
    {
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            if (!stripe.Entries.TryGetValue(key, out TValue? current) || !EqualityComparer<TValue>.Default.Equals(current, expected))
            {
                return false;
            }

            stripe.Entries.Remove(key);
            return true;
        }
    }

    /// <summary>
    /// Replaces the entry with what <paramref name="update"/> makes of it, under the stripe's lock (so it must be quick
    /// and must not touch this dictionary); false when there is no entry. <paramref name="previous"/> is what it replaced.
    /// </summary>
    public bool TryUpdate(TKey key, Func<TValue, TValue> update, out TValue previous, out TValue updated)
    {
        ArgumentNullException.ThrowIfNull(update);
        Stripe stripe = StripeOf(key);
        lock (stripe.Lock)
        {
            ref TValue entry = ref CollectionsMarshal.GetValueRefOrNullRef(stripe.Entries, key);
            if (Unsafe.IsNullRef(ref entry))
            {
                previous = default!;
                updated = default!;
                return false;
            }

            previous = entry;
            updated = update(entry);
            entry = updated;
            return true;
        }
    }

    /// <summary>A snapshot of the values, stripe by stripe (an entry added or removed meanwhile may or may not be in it).</summary>
    public List<TValue> Values()
    {
        var values = new List<TValue>();
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Lock)
            {
                values.AddRange(stripe.Entries.Values);
            }
        }

        return values;
    }

    private Stripe StripeOf(TKey key) => _stripes[key.GetHashCode() & (StripeCount - 1)];

    private sealed class Stripe
    {
        public Lock Lock { get; } = new();

        public Dictionary<TKey, TValue> Entries { get; } = [];
    }
}
