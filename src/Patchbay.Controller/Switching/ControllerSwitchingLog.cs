// Log messages of switch reconnects and conversation adoption; event ids 3020-3029 (in the controller's switch range).
using Microsoft.Extensions.Logging;

namespace Patchbay.Controller.Switching;

internal static partial class ControllerSwitchingLog
{
    [LoggerMessage(3020, LogLevel.Information, "Switch of host {Host}: conversation {Id} ({Source} <-> {Destination}) adopted, its flows are still right")]
    public static partial void ConversationAdopted(ILogger logger, string host, ulong id, string source, string destination);

    [LoggerMessage(3021, LogLevel.Information, "Switch of host {Host}: conversation cookie 0x{Cookie:x16} retired ({Reason}); its flows are deleted here and on {OtherHosts}")]
    public static partial void ConversationRetired(ILogger logger, string host, ulong cookie, string reason, string otherHosts);

    [LoggerMessage(3022, LogLevel.Information, "Switch {DatapathId:x16} of host {Host} meters: {Added} added, {Modified} modified, {Deleted} deleted, {Kept} kept")]
    public static partial void MetersReconciled(ILogger logger, ulong datapathId, string host, int added, int modified, int deleted, int kept);
}
