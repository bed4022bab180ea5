// A multipart reply whose body is a list of entries (flow stats, port stats, group desc, ...);
// such replies may be split over OFPMPF_REPLY_MORE at entry boundaries and are combined by concatenation.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public abstract record MultipartListReply<TEntry>(IReadOnlyList<TEntry> Entries) : MultipartReply
    where TEntry : IMultipartEntry<TEntry>
{
    public sealed override int PayloadLength => MultipartBody.TotalLength(Entries);

    protected sealed override void WritePayload(ref WireWriter writer) => MultipartBody.WriteAll(ref writer, Entries);

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
