// The contract of one element in a list-shaped multipart body (ofp_flow_stats, ofp_port_stats, ...):
// it knows its length, writes exactly that, and reads itself from the body, checking its own length.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public interface IMultipartEntry<TSelf>
    where TSelf : IMultipartEntry<TSelf>
{
    /// <summary>Bytes the entry occupies in the body.</summary>
    int Length { get; }

    void Write(ref WireWriter writer);

    /// <summary>Reads one entry from the front of <paramref name="body"/>.</summary>
    static abstract TSelf Read(ref WireReader body);
}

/// <summary>Length checks the multipart bodies share.</summary>
internal static class MultipartBody
{
    public static void ExpectEmpty(ref WireReader payload, MultipartType type)
    {
        if (!payload.End)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"{type} body must be empty, has {payload.Remaining} bytes");
        }
    }

    public static void ExpectExactly(ref WireReader payload, int size, string what)
    {
        if (payload.Remaining != size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"{what} is {size} bytes, body has {payload.Remaining}");
        }
    }

    /// <summary>Throws unless a body whose fields were all read has no bytes left over.</summary>
    public static void ExpectEnd(ref WireReader payload, string what)
    {
        if (!payload.End)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"{what}: {payload.Remaining} trailing bytes");
        }
    }

    /// <summary>
    /// Checks a variable-length entry's declared length against its fixed part and the bytes left,
    /// and returns a reader over exactly that entry (the length field already consumed or not, as
    /// <paramref name="alreadyRead"/> says).
    /// </summary>
    public static WireReader Entry(ref WireReader body, int length, int fixedSize, int alreadyRead, string what)
    {
        if (length < fixedSize || length - alreadyRead > body.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"{what} length {length} (fixed part {fixedSize}) with {body.Remaining + alreadyRead} bytes left");
        }

        return body.Sub(length - alreadyRead, ProtocolErrorReason.BadMultipartBody);
    }

    public static List<T> ReadAll<T>(ref WireReader payload)
        where T : IMultipartEntry<T>
    {
        var entries = new List<T>();
        while (!payload.End)
        {
            entries.Add(T.Read(ref payload));
        }

        return entries;
    }
}
