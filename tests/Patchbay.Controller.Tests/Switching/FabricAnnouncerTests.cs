// The fabric announcer over simulated switches: a ready switch is sent the RARP announcement of its host's
// uplink MAC out of the uplink port at the first poll after it became ready, and again after the interval;
// a switch without a configured host gets nothing; with the interval 0 nothing is ever sent; and a host that
// receives another host's announcement on its uplink drops it in table 0. The announcer runs on a fake clock
// that only moves when a test advances it, so each advance is exactly one poll.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Bytes;

namespace Patchbay.Controller.Tests.Switching;

public sealed class FabricAnnouncerTests : IAsyncDisposable
{
    // The announcement of h1 (the harness gives datapath 1 the uplink MAC 02:00:00:00:00:01, uplink port 1):
    // broadcast, from the uplink MAC, RARP; htype 1, ptype IPv4, 6, 4, op 3 (request reverse), sha = tha = the MAC,
    // spa = tpa = 0.0.0.0; zero padding to 60 bytes.
    private static readonly byte[] GoldenH1 = Convert.FromHexString(
        "ffffffffffff" + "020000000001" + "8035"
        + "0001" + "0800" + "06" + "04" + "0003"
        + "020000000001" + "00000000" + "020000000001" + "00000000"
        + "000000000000000000000000000000000000");

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ControllerHarness? _controller;

    private ControllerHarness Controller => _controller!;

    private FabricAnnouncer Announcer => Controller.App.Services.GetRequiredService<FabricAnnouncer>();

    [Fact]
    public void BuildAnnouncement_UplinkMac_GoldenBytes()
    {
        byte[] frame = FabricAnnouncer.BuildAnnouncement(MacAddress.Parse("02:00:00:00:00:01"));

        Assert.Equal(FabricAnnouncer.FrameSize, frame.Length);
        ByteAssert.Identical(GoldenH1, frame, "RARP announcement");
    }

    [Fact]
    public async Task ReadySwitch_AnnouncedAtTheFirstPollThenAfterTheInterval()
    {
        await StartAsync(Interval);
        SimulatedSwitch h1 = await ReadyHostAsync("h1", 1);

        await PollAsync(FabricAnnouncer.PollInterval);
        PacketOut first = (PacketOut)(await h1.WaitForAsync<PacketOut>()).Message;
        Assert.Equal(OfpPortNo.Controller, first.InPort);
        Assert.Equal([new OutputAction(1)], first.Actions);
        ByteAssert.Identical(GoldenH1, first.Data.Span, "PACKET_OUT data");

        // 29 s after the first: not yet.
        await PollAsync(Interval - TimeSpan.FromSeconds(1));
        await FenceAsync();
        Assert.Single(PacketOuts(h1));

        await PollAsync(TimeSpan.FromSeconds(1));
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(PacketOuts(h1).Count == 2), "the second announcement");
        ByteAssert.Identical(GoldenH1, PacketOuts(h1)[1].Data.Span, "second PACKET_OUT data");
    }

    [Fact]
    public async Task SwitchWithoutConfiguredHost_NotAnnouncedUntilReady()
    {
        await StartAsync(Interval);
        SimulatedSwitch waiting = await Controller.ConnectSwitchAsync(2);

        // Polls while the switch waits for its host's registration.
        await PollAsync(FabricAnnouncer.PollInterval);
        await PollAsync(FabricAnnouncer.PollInterval);
        await Controller.RegisterHostAsync("h2", 2);
        await Controller.WaitForHostStateAsync("h2", "connected");
        await PollAsync(FabricAnnouncer.PollInterval);

        Received announcement = await waiting.WaitForAsync<PacketOut>();
        Assert.Equal([new OutputAction(1)], ((PacketOut)announcement.Message).Actions);
        Received configured = await waiting.WaitForAsync<SetConfig>();

        // A PACKET_OUT sent while it waited would have arrived before the configuration began.
        Assert.True(announcement.Sequence > configured.Sequence, "the switch was announced before its pipeline was installed");
        Assert.Single(PacketOuts(waiting));
    }

    [Fact]
    public async Task IntervalZero_NothingAnnounced()
    {
        await StartAsync(TimeSpan.Zero);
        SimulatedSwitch h1 = await ReadyHostAsync("h1", 1);

        _time.Advance(TimeSpan.FromMinutes(5));
        await FenceAsync();

        Assert.Empty(PacketOuts(h1));
        Assert.Equal(0, Announcer.Passes);
    }

    [Fact]
    public async Task Announcement_ReceivedOnAnotherHostsUplink_DroppedInClassify()
    {
        await StartAsync(Interval);
        SimulatedSwitch h2 = await ReadyHostAsync("h2", 2);

        PipelineResult result = await h2.InjectAsync(1, GoldenH1);

        Assert.Empty(result.Forwarded);
        Assert.Empty(result.ToController);
        PacketDropped dropped = Assert.IsType<PacketDropped>(result.Dropped);
        Assert.Equal(Tables.Classify, dropped.TableId);
        Assert.Equal(Cookies.Of(FlowKind.Pipeline, (ulong)PipelineFlowId.ClassifyMiss), dropped.Cookie);
    }

    public async ValueTask DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }

    private async Task StartAsync(TimeSpan interval)
    {
        _controller = await ControllerHarness.StartAsync(services: s => s.AddSingleton(services => new FabricAnnouncer(
            interval,
            services.GetRequiredService<SwitchRegistry>(),
            services.GetRequiredService<IControllerState>(),
            _time,
            NullLogger<FabricAnnouncer>.Instance)));
        if (interval > TimeSpan.Zero)
        {
            // The first poll runs at start; after it the announcer waits on the fake clock.
            await ControllerHarness.EventuallyAsync(() => Task.FromResult(Announcer.Passes == 1), "the announcer's first poll");
        }
    }

    private async Task<SimulatedSwitch> ReadyHostAsync(string name, ulong datapathId)
    {
        await Controller.RegisterHostAsync(name, datapathId);
        SimulatedSwitch simulated = await Controller.ConnectSwitchAsync(datapathId);
        await Controller.WaitForHostStateAsync(name, "connected");
        return simulated;
    }

    // Moves the clock by one poll's timer and waits until that poll finished (its PACKET_OUTs are queued).
    private async Task PollAsync(TimeSpan advance)
    {
        long before = Announcer.Passes;
        _time.Advance(advance);
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(Announcer.Passes == before + 1), "the announcer's next poll");
    }

    // GET /v1/drops reads flow stats from every ready switch: once answered, every message queued before it arrived.
    private async Task FenceAsync() => await Controller.GetAsync<ListResponse<DropView>>("/v1/drops");

    private static List<PacketOut> PacketOuts(SimulatedSwitch simulated) => [.. simulated.Messages.Select(r => r.Message).OfType<PacketOut>()];
}
