// Log messages of policy decisions at the first packet: denials and their drop flows; event ids 3030-3039.
using Microsoft.Extensions.Logging;

namespace Patchbay.Controller.Switching;

public sealed partial class ConversationTracker
{
    private static partial class Log
    {
        [LoggerMessage(3030, LogLevel.Information, "Denial {Id}: {Source} -> {Destination} {Protocol} denied ({Decision}); drop flow on host {Host}")]
        public static partial void Denied(ILogger logger, ulong id, string source, string destination, string protocol, string decision, string host);

        [LoggerMessage(3031, LogLevel.Information, "Denial {Id} ended ({Why}); its drop flow is deleted")]
        public static partial void DenialEnded(ILogger logger, ulong id, string why);

        [LoggerMessage(3032, LogLevel.Warning, "Installing the drop flow of denial {Id} on host {Host} failed; the next first packet decides again")]
        public static partial void DenialSetupFailed(ILogger logger, ulong id, string host, Exception exception);

        [LoggerMessage(3033, LogLevel.Information, "Conversation or denial {Id} ended while it was being set up; its flows are deleted again on {Hosts} and its first packet is not sent on")]
        public static partial void EndedDuringSetup(ILogger logger, ulong id, string hosts);
    }
}
