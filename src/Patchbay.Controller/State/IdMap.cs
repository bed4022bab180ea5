// A map keyed by conversation id, for the maps every first packet adds to (conversations by id, a live entry's key
// by id). Ids are handed out in ascending order, so the map is arrays, not hash tables: the ids are dealt to
// stripes round robin (the lowest bits), each stripe under its own lock, and a stripe keeps its ids in small
// segments of slots (the next bits), made when the first id of one comes and dropped when its last one goes. An
// insert is an array store (a stripe finds the segment of its last id without a lookup): no table that grows by
// copying itself (a million live conversations had their stripes' tables reallocated, each copy on the large-object
// heap, which drew full collections), and consecutive ids land in different stripes, so first packets on different
// threads do not wait for one lock.
namespace Patchbay.Controller.State;

internal sealed class IdMap<TValue>
{
    // A power of two: the stripe is the id's lowest bits.
    private const int StripeBits = 6;
    private const int StripeCount = 1 << StripeBits;

    // Slots per segment (a power of two): 16 of a stripe's ids, 1,024 ids of the whole map. Small, because one id
    // left in a segment keeps all of it: a conversation that lives for days among millions of short ones holds a
    // segment of its own (2.5 KB for a conversation record), not a block of thousands.
    private const int SegmentBits = 4;
    private const int SegmentSize = 1 << SegmentBits;

    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Stripe())];

    public bool TryAdd(ulong id, TValue value)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            Segment segment = stripe.SegmentFor(id);
            ref Slot slot = ref segment.Slots[SlotIndex(id)];
            if (slot.Used)
            {
                return false;
            }

            slot = new Slot { Used = true, Value = value };
            segment.Count++;
            return true;
        }
    }

    public void Set(ulong id, TValue value)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            Segment segment = stripe.SegmentFor(id);
            ref Slot slot = ref segment.Slots[SlotIndex(id)];
            if (!slot.Used)
            {
                segment.Count++;
            }

            slot = new Slot { Used = true, Value = value };
        }
    }

    public bool TryGetValue(ulong id, out TValue value)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            if (Holding(stripe, id) is Segment segment)
            {
                value = segment.Slots[SlotIndex(id)].Value;
                return true;
            }

            value = default!;
            return false;
        }
    }

    public bool ContainsKey(ulong id) => TryGetValue(id, out _);

    public bool TryRemove(ulong id, out TValue value)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            if (Holding(stripe, id) is not Segment segment)
            {
                value = default!;
                return false;
            }

            value = segment.Slots[SlotIndex(id)].Value;
            stripe.Empty(id, segment);
            return true;
        }
    }

    /// <summary>Removes the entry only while it still holds <paramref name="expected"/>.</summary>
    public bool TryRemove(ulong id, TValue expected)
    {
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            if (Holding(stripe, id) is not Segment segment || !EqualityComparer<TValue>.Default.Equals(segment.Slots[SlotIndex(id)].Value, expected))
            {
                return false;
            }

            stripe.Empty(id, segment);
            return true;
        }
    }

    /// <summary>
    /// Replaces the entry with what <paramref name="update"/> makes of it, under the stripe's lock (so it must be quick
    /// and must not touch this map); false when there is no entry.
    /// </summary>
    public bool TryUpdate(ulong id, Func<TValue, TValue> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Stripe stripe = StripeOf(id);
        lock (stripe.Lock)
        {
            if (Holding(stripe, id) is not Segment segment)
            {
                return false;
            }

            ref Slot slot = ref segment.Slots[SlotIndex(id)];
            slot.Value = update(slot.Value);
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
                foreach (Segment segment in stripe.Segments.Values)
                {
                    foreach (Slot slot in segment.Slots)
                    {
                        if (slot.Used)
                        {
                            values.Add(slot.Value);
                        }
                    }
                }
            }
        }

        return values;
    }

    private Stripe StripeOf(ulong id) => _stripes[(int)(id & (StripeCount - 1))];

    // The segment that holds the id, when the id is in the map (under the stripe's lock).
    private static Segment? Holding(Stripe stripe, ulong id) =>
        stripe.Find(id) is Segment segment && segment.Slots[SlotIndex(id)].Used ? segment : null;

    // The segment of a stripe that holds an id, and the id's slot in it.
    private static ulong SegmentOf(ulong id) => id >> (StripeBits + SegmentBits);

    private static int SlotIndex(ulong id) => (int)((id >> StripeBits) & (SegmentSize - 1));

    private struct Slot
    {
        public bool Used;
        public TValue Value;
    }

    private sealed class Segment
    {
        public Slot[] Slots { get; } = new Slot[SegmentSize];

        public int Count { get; set; }
    }

    // Everything of a stripe is used under its lock.
    private sealed class Stripe
    {
        // The segment used last: ids come in ascending order, so nearly every call finds its segment here.
        private ulong _lastNumber;
        private Segment? _last;

        public Lock Lock { get; } = new();

        public Dictionary<ulong, Segment> Segments { get; } = [];

        public Segment? Find(ulong id)
        {
            ulong number = SegmentOf(id);
            if (_last is not null && _lastNumber == number)
            {
                return _last;
            }

            if (!Segments.TryGetValue(number, out Segment? segment))
            {
                return null;
            }

            (_lastNumber, _last) = (number, segment);
            return segment;
        }

        /// <summary>The id's segment, made if there is none.</summary>
        public Segment SegmentFor(ulong id)
        {
            if (Find(id) is Segment found)
            {
                return found;
            }

            var segment = new Segment();
            Segments.Add(SegmentOf(id), segment);
            (_lastNumber, _last) = (SegmentOf(id), segment);
            return segment;
        }

        public void Empty(ulong id, Segment segment)
        {
            segment.Slots[SlotIndex(id)] = default;
            if (--segment.Count == 0)
            {
                Segments.Remove(SegmentOf(id));
                if (ReferenceEquals(_last, segment))
                {
                    _last = null;
                }
            }
        }
    }
}
