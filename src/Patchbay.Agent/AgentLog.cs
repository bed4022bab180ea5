// The agent's log messages, source-generated, with stable event ids (3000-3099).
using Microsoft.Extensions.Logging;

namespace Patchbay.Agent;

internal static partial class AgentLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Bridge {Bridge} ready (datapath {DatapathId}); uplink {Uplink} is port {Port}, MAC {Mac}")]
    public static partial void BridgeReady(ILogger logger, string bridge, string datapathId, string uplink, uint port, string mac);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered host {Host} with the controller")]
    public static partial void Registered(ILogger logger, string host);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The controller did not take the registration of {Host}; retrying in {DelayMs} ms")]
    public static partial void RegistrationFailed(ILogger logger, Exception exception, string host, long delayMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Reported endpoint {Endpoint} on port {Port}")]
    public static partial void PortReported(ILogger logger, string endpoint, uint port);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Could not report endpoint {Endpoint} on port {Port}; retrying")]
    public static partial void PortReportFailed(ILogger logger, Exception exception, string endpoint, uint port);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "The controller does not know endpoint {Endpoint} plugged on port {Port}; not reporting it")]
    public static partial void PortOfUnknownEndpoint(ILogger logger, string endpoint, uint port);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Plugged endpoint {Endpoint} ({Ip}, {Mac}) as {Interface}, port {Port}, into namespace {Netns}")]
    public static partial void Plugged(ILogger logger, string endpoint, string ip, string mac, string @interface, uint port, string netns);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Unplugged endpoint {Endpoint} (port removed: {PortRemoved}, veth removed: {VethRemoved}, deleted at the controller: {Deleted})")]
    public static partial void Unplugged(ILogger logger, string endpoint, bool portRemoved, bool vethRemoved, bool deleted);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Plug of endpoint {Endpoint} failed")]
    public static partial void PlugFailed(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Agent {Host} serving its API on unix:{Socket}")]
    public static partial void Serving(ILogger logger, string host, string socket);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "The OVSDB connection closed; the agent stops")]
    public static partial void OvsdbClosed(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Agent {Host} stopping; plugged endpoints stay in place")]
    public static partial void Stopping(ILogger logger, string host);
}
