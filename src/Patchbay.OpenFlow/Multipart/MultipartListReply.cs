// A multipart reply whose body is a list of entries (flow stats, port stats, group desc, ...);
// such replies are split over OFPMPF_REPLY_MORE between entries and combined by concatenation.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public abstract record MultipartListReply<TEntry>(IReadOnlyList<TEntry> Entries) : MultipartReply
{
    public sealed override int PayloadLength
    {
        get
        {
            int length = 0;
            foreach (TEntry entry in Entries)
            {
                length += EntryLength(entry);
            }

            return length;
        }
    }

    protected sealed override void WritePayload(ref WireWriter writer)
    {
        foreach (TEntry entry in Entries)
        {
            int start = writer.Position;
            WriteEntry(ref writer, entry);
            Declared.Check(EntryLength(entry), writer.Position - start, $"{MultipartType} reply entry");
        }
    }

    /// <summary>Bytes <paramref name="entry"/> occupies in the body.</summary>
    private protected abstract int EntryLength(TEntry entry);

    /// <summary>Writes exactly <see cref="EntryLength"/> bytes.</summary>
    private protected abstract void WriteEntry(ref WireWriter writer, TEntry entry);

    private protected sealed override MultipartReply CombineParts(IReadOnlyList<MultipartReply> parts)
    {
        var entries = new List<TEntry>();
        foreach (MultipartReply part in parts)
        {
            entries.AddRange(((MultipartListReply<TEntry>)part).Entries);
        }

        return this with { Entries = entries };
    }

    private protected sealed override IReadOnlyList<MultipartReply> SplitPayload(int maxPayload)
    {
        var parts = new List<MultipartReply>();
        var current = new List<TEntry>();
        int size = 0;
        foreach (TEntry entry in Entries)
        {
            int length = EntryLength(entry);
            if (length > maxPayload)
            {
                throw new InvalidOperationException($"a {MultipartType} reply entry of {length} bytes does not fit a part of {maxPayload}");
            }

            if (size + length > maxPayload)
            {
                parts.Add(this with { Entries = current });
                current = [];
                size = 0;
            }

            current.Add(entry);
            size += length;
        }

        parts.Add(this with { Entries = current });
        return parts;
    }

    // Records compare lists by reference; a decoded reply must equal the one that was sent.
    public virtual bool Equals(MultipartListReply<TEntry>? other) =>
        other is not null
        && base.Equals(other)
        && (ReferenceEquals(Entries, other.Entries) || Entries.SequenceEqual(other.Entries));

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Entries.Count);
}
