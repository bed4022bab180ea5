// Log messages of `patchbay trace`; event ids 3300-3309.
using Microsoft.Extensions.Logging;

namespace Patchbay.Controller.Tracing;

internal static partial class TraceLog
{
    [LoggerMessage(3300, LogLevel.Warning, "Trace: reading the flow table of host {Host} failed")]
    public static partial void FlowReadFailed(ILogger logger, string host, Exception exception);
}
