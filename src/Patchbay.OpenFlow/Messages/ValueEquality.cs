// Records compare lists and byte buffers by reference; messages compare them by content, so a decoded
// message equals the one that was encoded.
namespace Patchbay.OpenFlow.Messages;

internal static class ValueEquality
{
    public static bool Lists<T>(IReadOnlyList<T> left, IReadOnlyList<T> right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static int ListHash<T>(IReadOnlyList<T> list)
    {
        var hash = default(HashCode);
        for (int i = 0; i < list.Count; i++)
        {
            hash.Add(list[i]);
        }

        return hash.ToHashCode();
    }

    public static bool Bytes(ReadOnlyMemory<byte> left, ReadOnlyMemory<byte> right) => left.Span.SequenceEqual(right.Span);

    public static int BytesHash(ReadOnlyMemory<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes.Span);
        return hash.ToHashCode();
    }
}
