// Source-generated log messages of the OVSDB client.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Patchbay.Ovsdb;

public sealed partial class OvsdbClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "OVSDB connection closed")]
        public static partial void ConnectionClosed(ILogger logger);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "OVSDB connection failed: {Reason}")]
        public static partial void ConnectionFailed(ILogger logger, string reason, Exception exception);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Ignoring an OVSDB response with id {Id} that matches no pending request")]
        public static partial void UnmatchedResponse(ILogger logger, JsonNode? id);

        [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Ignoring OVSDB server method {Method}")]
        public static partial void UnhandledServerMethod(ILogger logger, string method);

        [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Ignoring an update for monitor {MonitorId}, which is not open")]
        public static partial void UnknownMonitor(ILogger logger, string monitorId);
    }
}
