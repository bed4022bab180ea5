// Log messages of the fabric announcer (FabricAnnouncer.cs); event ids 3090-3093 (in the controller's switch range).
using Microsoft.Extensions.Logging;

namespace Patchbay.Controller.Switching;

internal static partial class FabricAnnouncerLog
{
    [LoggerMessage(3090, LogLevel.Information, "Host {Host}: uplink MAC {Mac} announced to the fabric out of port {Port}; again every {Seconds} s")]
    public static partial void FirstAnnouncement(ILogger logger, string host, string mac, uint port, double seconds);

    [LoggerMessage(3091, LogLevel.Warning, "Announcing the uplink MAC of host {Host} failed: its switch disconnected")]
    public static partial void AnnouncementFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(3093, LogLevel.Error, "A fabric announcement pass failed; the next poll tries again")]
    public static partial void AnnouncePassFailed(ILogger logger, Exception exception);

    [LoggerMessage(3092, LogLevel.Information, "Fabric announcements are off (--fabric-announce-interval 0): a learning underlay floods direct-mode frames to every host")]
    public static partial void AnnouncerDisabled(ILogger logger);
}
