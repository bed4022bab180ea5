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
}
