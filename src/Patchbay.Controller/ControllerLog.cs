// Source-generated log messages of the controller; event ids 3000-3199 belong to it
// (3000 switches, 3050 first packets and conversations, 3100 REST and hosting).
using Microsoft.Extensions.Logging;
using Patchbay.Core.Model;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Controller;

internal static partial class ControllerLog
{
    [LoggerMessage(3000, LogLevel.Information, "Switch {DatapathId:x16} connected from {Remote}; no host registered with that datapath id yet, waiting")]
    public static partial void SwitchWaitingForHost(ILogger logger, ulong datapathId, string remote);

    [LoggerMessage(3001, LogLevel.Information, "Switch {DatapathId:x16} of host {Host} configured: {Meters} meters, {Deleted} flows deleted, {Added} added, {Unchanged} unchanged")]
    public static partial void SwitchConfigured(ILogger logger, ulong datapathId, string host, int meters, int deleted, int added, int unchanged);

    [LoggerMessage(3002, LogLevel.Error, "Configuring switch {DatapathId:x16} of host {Host} failed")]
    public static partial void SwitchConfigureFailed(ILogger logger, ulong datapathId, string host, Exception exception);

    [LoggerMessage(3003, LogLevel.Information, "Switch {DatapathId:x16} disconnected: {Closed}")]
    public static partial void SwitchDisconnected(ILogger logger, ulong datapathId, string closed);

    [LoggerMessage(3004, LogLevel.Warning, "Switch {DatapathId:x16} reported an error: {ErrorType} code {Code} (xid {Xid})")]
    public static partial void SwitchError(ILogger logger, ulong datapathId, OfpErrorType errorType, ushort code, uint xid);

    [LoggerMessage(3005, LogLevel.Information, "Endpoint {Endpoint} installed on host {Host} port {Port}")]
    public static partial void EndpointInstalled(ILogger logger, string endpoint, string host, uint port);

    [LoggerMessage(3006, LogLevel.Information, "Endpoint {Endpoint} removed from host {Host}")]
    public static partial void EndpointRemoved(ILogger logger, string endpoint, string host);

    [LoggerMessage(3007, LogLevel.Error, "Changing the flows of endpoint {Endpoint} on host {Host} failed; the next reconnect reconciles them")]
    public static partial void EndpointFlowsFailed(ILogger logger, string endpoint, string host, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "Reading the drop counters of host {Host} failed")]
    public static partial void DropReadFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(3009, LogLevel.Debug, "Switch {DatapathId:x16} sent {MessageType}; ignored")]
    public static partial void MessageIgnored(ILogger logger, ulong datapathId, OfpType messageType);

    [LoggerMessage(3010, LogLevel.Warning, "Host {Host} is over its PACKET_IN budget ({RatePps}/s, burst {Burst}): {Dropped} PACKET_INs discarded since the last warning (counted as packet-in-budget drops)")]
    public static partial void PacketInBudgetExceeded(ILogger logger, string host, long dropped, uint ratePps, uint burst);

    [LoggerMessage(3050, LogLevel.Debug, "ARP from {Endpoint} for {Target}: answered {Mac}")]
    public static partial void ArpAnswered(ILogger logger, string endpoint, string target, string mac);

    [LoggerMessage(3051, LogLevel.Debug, "Dropped a first packet on host {Host}: {Reason} ({Detail})")]
    public static partial void FirstPacketDropped(ILogger logger, string host, string reason, string detail);

    // Typed arguments, not formatted strings: the first-packet path must not build a message nobody logs.
    [LoggerMessage(3052, LogLevel.Information, "Conversation {Id} {Source} -> {Destination} set up ({Mode}, {SourceHost} -> {DestinationHost})")]
    public static partial void ConversationStarted(ILogger logger, ulong id, string source, string destination, DataPathMode mode, string sourceHost, string destinationHost);

    [LoggerMessage(3053, LogLevel.Error, "Setting up conversation {Id} {Source} -> {Destination} failed")]
    public static partial void ConversationSetupFailed(ILogger logger, ulong id, string source, string destination, Exception exception);

    [LoggerMessage(3054, LogLevel.Information, "Conversation {Id} ended ({Why}): {Packets} packets, {Bytes} bytes, {Duration:F1} s")]
    public static partial void ConversationEnded(ILogger logger, ulong id, string why, ulong packets, ulong bytes, double duration);

    [LoggerMessage(3055, LogLevel.Warning, "Deleting the flows of conversation {Id} on host {Host} failed")]
    public static partial void ConversationDeleteFailed(ILogger logger, ulong id, string host, Exception exception);

    [LoggerMessage(3056, LogLevel.Debug, "PACKET_IN from switch {DatapathId:x16} table {Table} port {Port} is not from a known endpoint; ignored")]
    public static partial void PacketInFromUnknownPort(ILogger logger, ulong datapathId, byte table, uint port);

    [LoggerMessage(3057, LogLevel.Error, "Handling a PACKET_IN from switch {DatapathId:x16} failed")]
    public static partial void PacketInFailed(ILogger logger, ulong datapathId, Exception exception);

    [LoggerMessage(3100, LogLevel.Information, "REST API listening on {Address}")]
    public static partial void ApiListening(ILogger logger, string address);

    [LoggerMessage(3101, LogLevel.Information, "Host {Host} registered (datapath {DatapathId:x16}, segment {Segment})")]
    public static partial void HostRegistered(ILogger logger, string host, ulong datapathId, string segment);
}
