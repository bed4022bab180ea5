// The one exception the OVSDB client throws for anything the server or the connection did wrong:
// an RPC-level error, a failed operation inside a transaction, malformed JSON, or a closed connection.
using System.Diagnostics.CodeAnalysis;

namespace Patchbay.Ovsdb;

public enum OvsdbErrorKind
{
    /// <summary>The JSON-RPC response carried a non-null "error" (RFC 7047 section 4.1).</summary>
    Rpc,
    /// <summary>A transact result held {"error":..,"details":..} for one operation, or for the commit (index = operation count).</summary>
    Operation,
    /// <summary>The server sent bytes that are not the JSON RFC 7047 requires.</summary>
    Protocol,
    /// <summary>The connection closed before the reply arrived.</summary>
    ConnectionClosed,
}

public sealed class OvsdbException : Exception
{
    public OvsdbException()
    {
    }

    public OvsdbException(string message)
        : base(message)
    {
    }

    public OvsdbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OvsdbException(OvsdbErrorKind kind, string message, string? error = null, string? details = null, int? operationIndex = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Error = error;
        Details = details;
        OperationIndex = operationIndex;
    }

    public OvsdbErrorKind Kind { get; }

    /// <summary>The server's short error string, e.g. "constraint violation" or "unknown database".</summary>
    public string? Error { get; }

    /// <summary>The server's human-readable details, when it sent any.</summary>
    public string? Details { get; }

    /// <summary>
    /// For <see cref="OvsdbErrorKind.Operation"/>: the index of the failed operation in the transaction. An index equal to
    /// the number of operations means every operation succeeded but the commit failed (RFC 7047 section 4.1.3).
    /// </summary>
    public int? OperationIndex { get; }

    [DoesNotReturn]
    internal static void ThrowProtocol(string detail, Exception? inner = null) =>
        throw new OvsdbException(OvsdbErrorKind.Protocol, $"OVSDB protocol error: {detail}", innerException: inner);

    [DoesNotReturn]
    internal static T ThrowProtocol<T>(string detail) =>
        throw new OvsdbException(OvsdbErrorKind.Protocol, $"OVSDB protocol error: {detail}");
}
