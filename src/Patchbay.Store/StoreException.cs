// The exceptions every IStore implementation throws: StoreException for a request the store refuses (unknown
// lease, duplicate key in one transaction, a data directory in use, a schema newer than this code), and
// StoreCompactedException when a watch asks for history the store no longer keeps.
namespace Patchbay.Store;

public class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A watch asked for changes after <see cref="RequestedRevision"/>, but the history up to and including
/// <see cref="CompactedRevision"/> was dropped; the watcher must re-read the keys (a list) and watch from there.
/// </summary>
public sealed class StoreCompactedException : StoreException
{
    public StoreCompactedException()
    {
    }

    public StoreCompactedException(string message)
        : base(message)
    {
    }

    public StoreCompactedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreCompactedException(long requestedRevision, long compactedRevision)
        : base($"cannot watch after revision {requestedRevision}: history up to revision {compactedRevision} is compacted; list the keys and watch after the list's revision")
    {
        RequestedRevision = requestedRevision;
        CompactedRevision = compactedRevision;
    }

    /// <summary>The revision the watch asked to start after.</summary>
    public long RequestedRevision { get; }

    /// <summary>The newest revision whose events are no longer kept; a watch must start after it or later.</summary>
    public long CompactedRevision { get; }
}
