// Source-generated log messages of the connection layer; event ids 1000-1099 belong to it.
using Microsoft.Extensions.Logging;

namespace Patchbay.OpenFlow.Connection;

internal static partial class OpenFlowLog
{
    [LoggerMessage(1000, LogLevel.Information, "OpenFlow listening on {Endpoint} ({LocalEndPoint})")]
    public static partial void Listening(ILogger logger, OpenFlowEndpoint endpoint, string localEndPoint);

    [LoggerMessage(1001, LogLevel.Information, "Removed stale unix socket {Path}")]
    public static partial void RemovedStaleSocket(ILogger logger, string path);

    [LoggerMessage(1002, LogLevel.Debug, "Accepted {Remote} on {Endpoint}")]
    public static partial void Accepted(ILogger logger, string remote, OpenFlowEndpoint endpoint);

    [LoggerMessage(1003, LogLevel.Error, "Accepting on {Endpoint} failed; that endpoint stops accepting")]
    public static partial void AcceptFailed(ILogger logger, OpenFlowEndpoint endpoint, Exception exception);

    [LoggerMessage(1004, LogLevel.Warning, "TLS handshake with {Remote} failed")]
    public static partial void TlsFailed(ILogger logger, string remote, Exception exception);

    [LoggerMessage(1005, LogLevel.Error, "Session with {Remote} failed unexpectedly")]
    public static partial void SessionFaulted(ILogger logger, string remote, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "Switch {Remote} connected: datapath {DatapathId:x16}, {Tables} tables")]
    public static partial void Connected(ILogger logger, string remote, ulong datapathId, byte tables);

    [LoggerMessage(1011, LogLevel.Warning, "Switch {Remote} offers no OpenFlow 1.3 (HELLO version 0x{Version:x2}); refusing")]
    public static partial void IncompatibleVersion(ILogger logger, string remote, byte version);

    [LoggerMessage(1012, LogLevel.Warning, "Malformed OpenFlow from {Remote}; answering {ErrorType}/{Code} and closing")]
    public static partial void ProtocolError(ILogger logger, string remote, Messages.OfpErrorType errorType, ushort code, OpenFlowProtocolException exception);

    [LoggerMessage(1013, LogLevel.Warning, "Switch {Remote} sent no traffic for {DeadAfter}; declaring it dead")]
    public static partial void PeerDead(ILogger logger, string remote, TimeSpan deadAfter);

    [LoggerMessage(1014, LogLevel.Information, "Session with {Remote} closed: {Closed}")]
    public static partial void Closed(ILogger logger, string remote, SwitchSessionClosed closed);

    [LoggerMessage(1015, LogLevel.Debug, "Switch {Remote} idle; sent echo request xid {Xid}")]
    public static partial void EchoSent(ILogger logger, string remote, uint xid);

    [LoggerMessage(1016, LogLevel.Error, "Handler failed on {MessageType} from {Remote}")]
    public static partial void HandlerFailed(ILogger logger, string remote, OfpType messageType, Exception exception);

    [LoggerMessage(1017, LogLevel.Debug, "Switch {Remote} sent a duplicate HELLO; ignored")]
    public static partial void DuplicateHello(ILogger logger, string remote);

    [LoggerMessage(1018, LogLevel.Warning, "Switch {Remote} closed mid-message with {Bytes} bytes of an incomplete frame")]
    public static partial void TruncatedAtClose(ILogger logger, string remote, long bytes);

    [LoggerMessage(1019, LogLevel.Error, "Handler {Callback} failed for {Remote}")]
    public static partial void HandlerCallbackFailed(ILogger logger, string remote, string callback, Exception exception);

    [LoggerMessage(1020, LogLevel.Warning, "Switch {Remote} sends PACKET_INs faster than they are handled: {Discarded} discarded (oldest first) since the last warning, {Capacity} kept queued")]
    public static partial void PacketInsDiscarded(ILogger logger, string remote, long discarded, int capacity);
}
