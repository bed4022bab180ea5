// A multipart reply whose body is a list of entries (flow stats, port stats, group desc, ...);
// such replies may be split over OFPMPF_REPLY_MORE at entry boundaries and are combined by concatenation.
namespace Patchbay.OpenFlow.Multipart;

public abstract record MultipartListReply<TEntry>(IReadOnlyList<TEntry> Entries) : MultipartReply
{
    private protected sealed override MultipartReply CombineParts(IReadOnlyList<MultipartReply> parts)
    {
        var entries = new List<TEntry>();
        foreach (MultipartReply part in parts)
        {
            entries.AddRange(((MultipartListReply<TEntry>)part).Entries);
        }

        return this with { Entries = entries };
    }

    // Records compare lists by reference; a decoded reply must equal the one that was sent.
    public virtual bool Equals(MultipartListReply<TEntry>? other) =>
        other is not null
        && base.Equals(other)
        && (ReferenceEquals(Entries, other.Entries) || Entries.SequenceEqual(other.Entries));

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Entries.Count);
}
