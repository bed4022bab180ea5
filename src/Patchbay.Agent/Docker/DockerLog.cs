// The Docker driver's log messages, source-generated, with stable event ids (3200-3249).
using Microsoft.Extensions.Logging;

namespace Patchbay.Agent.Docker;

internal static partial class DockerLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Docker plugin serving on unix:{Socket}")]
    public static partial void Serving(ILogger logger, string socket);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Docker {Method} done")]
    public static partial void Done(ILogger logger, string method);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Docker {Method} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Docker network {NetworkId} is Patchbay network {Network} (created: {Created})")]
    public static partial void NetworkMapped(ILogger logger, string networkId, string network, bool created);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Patchbay network {Network} kept after Docker deleted its network: {Reason}")]
    public static partial void NetworkKept(ILogger logger, string network, string reason);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Docker endpoint {EndpointId} joined as {Endpoint} ({SrcName}, port {Port})")]
    public static partial void Joined(ILogger logger, string endpointId, string endpoint, string srcName, uint port);
}
