// struct ofp_bucket (spec 1.3.5, 7.3.4.2): len u16, weight u16, watch_port u32, watch_group u32, pad[4],
// then actions filling the rest of len. Shared by GROUP_MOD and the GROUP_DESC multipart reply.
using System.Text;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record Bucket(ushort Weight, uint WatchPort, uint WatchGroup, IReadOnlyList<OfpAction> Actions)
{
    /// <summary>A bucket without actions.</summary>
    public const int Size = 16;

    /// <summary>A bucket for ALL and INDIRECT groups, where weight and liveness do not apply.</summary>
    public Bucket(IReadOnlyList<OfpAction> actions)
        : this(0, OfpPortNo.Any, OfpGroupId.Any, actions)
    {
    }

    /// <summary>ofp_bucket.len: header plus actions.</summary>
    public int Length => Size + ActionList.Length(Actions);

    /// <summary>Writes <see cref="Length"/> bytes; len is back-filled from the actions written, so they are not measured again.</summary>
    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        int length = writer.ReserveLength();
        writer.U16(Weight);
        writer.U32(WatchPort);
        writer.U32(WatchGroup);
        writer.Pad(4);
        ActionList.Write(ref writer, Actions);
        writer.PatchLength(length, start);
    }

    /// <summary>Reads one bucket; its len must fit in what is left of the enclosing list.</summary>
    public static Bucket Read(ref WireReader reader)
    {
        if (reader.Remaining < Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"ofp_bucket needs {Size} bytes, {reader.Remaining} left");
        }

        ushort length = reader.U16();
        if (length < Size || length - 2 > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"ofp_bucket.len {length} with {reader.Remaining + 2} bytes left");
        }

        ushort weight = reader.U16();
        uint watchPort = reader.U32();
        uint watchGroup = reader.U32();
        reader.Pad(4);
        return new Bucket(weight, watchPort, watchGroup, ActionList.Read(ref reader, length - Size));
    }

    public bool Equals(Bucket? other) =>
        other is not null
        && Weight == other.Weight
        && WatchPort == other.WatchPort
        && WatchGroup == other.WatchGroup
        && ActionList.SequenceEqual(Actions, other.Actions);

    public override int GetHashCode() => HashCode.Combine(Weight, WatchPort, WatchGroup, ActionList.SequenceHash(Actions));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Weight = {Weight}, WatchPort = {WatchPort}, WatchGroup = {WatchGroup}, ");
        RecordText.List(builder, nameof(Actions), Actions);
        return true;
    }
}

/// <summary>A sequence of buckets that exactly fills a known number of bytes.</summary>
public static class BucketList
{
    public static int Length(IReadOnlyList<Bucket> buckets)
    {
        int length = 0;
        for (int i = 0; i < buckets.Count; i++)
        {
            length += buckets[i].Length;
        }

        return length;
    }

    public static void Write(ref WireWriter writer, IReadOnlyList<Bucket> buckets)
    {
        for (int i = 0; i < buckets.Count; i++)
        {
            buckets[i].Write(ref writer);
        }
    }

    /// <summary>Reads buckets until exactly <paramref name="length"/> bytes are consumed.</summary>
    public static IReadOnlyList<Bucket> Read(ref WireReader reader, int length)
    {
        if (length < 0 || length > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"buckets of {length} bytes with {reader.Remaining} left");
        }

        WireReader list = reader.Sub(length, ProtocolErrorReason.BadElementLength);
        var buckets = new List<Bucket>();
        while (!list.End)
        {
            buckets.Add(Bucket.Read(ref list));
        }

        return buckets;
    }
}

/// <summary>enum ofp_group: reserved group numbers.</summary>
public static class OfpGroupId
{
    /// <summary>Highest number of a real group.</summary>
    public const uint Max = 0xffffff00;

    /// <summary>All groups (group delete and group stats requests).</summary>
    public const uint All = 0xfffffffc;

    /// <summary>No group: a wildcard in flow requests and bucket watch_group.</summary>
    public const uint Any = 0xffffffff;
}
