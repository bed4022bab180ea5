// Teaches the underlay's learning switches where each host's uplink MAC is (docs/isolation.md, "The fabric
// learns the uplink MACs"). In direct mode a cross-host frame leaves with eth_src = the per-(host, network) MAC
// and eth_dst = the destination host's uplink MAC, so nothing ever sends FROM an uplink MAC and a learning
// switch floods every such frame to every host. The announcer sends, out of each ready switch's uplink port,
// a broadcast RARP announcement from the uplink MAC (what OVS, VMware and QEMU send after a migration): at once
// when the switch becomes ready and then every interval, well under the usual 300 s MAC ageing time.
// Ready switches are found by polling the registry every second; the receiving hosts drop the frame in table 0.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Host = Patchbay.Core.Model.Host;

namespace Patchbay.Controller.Switching;

/// <param name="interval">Time between two announcements of one host; zero disables the announcer.</param>
public sealed class FabricAnnouncer(TimeSpan interval, SwitchRegistry switches, IControllerState state, TimeProvider time, ILogger<FabricAnnouncer> logger)
    : BackgroundService
{
    /// <summary>The default of --fabric-announce-interval: a tenth of the 300 s MAC ageing time of Linux bridges and most ToR switches.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>How often the registry is looked at for switches that became ready (or whose uplink changed).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>RFC 903 Reverse ARP.</summary>
    public const ushort RarpEtherType = 0x8035;

    /// <summary>RFC 903 "request reverse", the operation of the announcement OVS and QEMU send.</summary>
    public const ushort RarpRequestReverse = 3;

    /// <summary>The announcement's length: the 60-byte Ethernet minimum (without FCS), as a NIC would pad it.</summary>
    public const int FrameSize = 60;

    // What was last announced for each ready switch; a switch that is no longer ready is forgotten, so it is
    // announced again as soon as it is ready again.
    private readonly Dictionary<SwitchContext, (MacAddress Mac, uint Port, DateTimeOffset At)> _announced = [];
    private long _passes;

    public TimeSpan Interval { get; } = interval >= TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must not be negative");

    /// <summary>Polls finished since the start; when it moves, the next poll's timer is already set (tests advance a fake clock on it).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>
    /// The broadcast RARP announcement from <paramref name="uplinkMac"/>: Ethernet (ff:ff:ff:ff:ff:ff, the MAC,
    /// 0x8035), then the 28-byte ARP layout with operation 3, sender and target hardware address the MAC, both
    /// protocol addresses 0.0.0.0; zero padding to 60 bytes. No host answers it or learns an IP address from it.
    /// </summary>
    public static byte[] BuildAnnouncement(MacAddress uplinkMac)
    {
        var frame = new byte[FrameSize];
        int header = EthernetFrame.WriteHeader(frame, MacAddress.Broadcast, uplinkMac, RarpEtherType, null);
        ArpPacket.Write(frame.AsSpan(header), RarpRequestReverse, uplinkMac, default, uplinkMac, default);
        return frame;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval == TimeSpan.Zero)
        {
            FabricAnnouncerLog.AnnouncerDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            // The timer is set before the pass, so a clock moved once Passes has moved is never missed.
            Task poll = Task.Delay(PollInterval, time, stoppingToken);
            try
            {
                await AnnounceDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A missed announcement costs flooding until the next poll, never the controller.
                FabricAnnouncerLog.AnnouncePassFailed(logger, e);
            }

            Interlocked.Increment(ref _passes);
            await poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task AnnounceDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        List<SwitchContext> ready = [.. switches.All.Where(c => c.IsReady)];
        foreach (SwitchContext gone in _announced.Keys.Except(ready).ToList())
        {
            _announced.Remove(gone);
        }

        foreach (SwitchContext context in ready)
        {
            if (context.ConfiguredHost is not string name || state.FindHost(name) is not Host host || host.DatapathId != context.DatapathId)
            {
                continue;
            }

            if (_announced.TryGetValue(context, out var last) && last.Mac == host.UplinkMac && last.Port == host.UplinkPort && now - last.At < Interval)
            {
                continue;
            }

            // Recorded before sending: a session that closed meanwhile leaves the registry; it is not retried every poll.
            _announced[context] = (host.UplinkMac, host.UplinkPort, now);
            try
            {
                var announcement = new PacketOut(OfpConstants.NoBuffer, OfpPortNo.Controller, [new OutputAction(host.UplinkPort)], BuildAnnouncement(host.UplinkMac));
                await context.Session.SendAsync(announcement, cancellationToken).ConfigureAwait(false);
                if (last == default)
                {
                    FabricAnnouncerLog.FirstAnnouncement(logger, host.Name, host.UplinkMac.ToString(), host.UplinkPort, Interval.TotalSeconds);
                }
            }
            catch (SwitchSessionClosedException e)
            {
                FabricAnnouncerLog.AnnouncementFailed(logger, host.Name, e);
            }
        }
    }
}
