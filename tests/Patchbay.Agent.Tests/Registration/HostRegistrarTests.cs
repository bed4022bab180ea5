// The registration loop against a fake controller: the payload on the wire, the heartbeat, and registering again
// (and telling the agent so) when a controller that was down answers again.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Patchbay.Agent.Ovs;
using Patchbay.Agent.Registration;
using Patchbay.Agent.Tests.Fakes;

namespace Patchbay.Agent.Tests.Registration;

public sealed class HostRegistrarTests
{
    private static readonly AgentOptions Options = new()
    {
        Name = "h1",
        Ovsdb = "unix:/nonexistent/db.sock",
        ControllerApi = "unix:/nonexistent/api.sock",
        Uplink = "up0",
        UnderlayIp = "198.18.0.1",
        Segment = "seg1",
        SocketPath = "/nonexistent/agent.sock",
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task RunAsync_ControllerUp_PostsHostWithDatapathUplinkUnderlayAndSegment()
    {
        using var controller = new FakeControllerHandler();
        using var api = controller.CreateClient();
        var registrar = new HostRegistrar(api, AgentApplication.Registration(Options, new UplinkFacts(3, "02:aa:bb:cc:dd:ee")), Options, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        Task running = registrar.RunAsync(() => { }, stop.Token);
        RecordedRequest posted = await controller.WaitForAsync(r => r.Path == "/v1/hosts");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal("POST", posted.Method);
        JsonObject body = JsonNode.Parse(posted.Body)!.AsObject();
        Assert.Equal("h1", (string?)body["name"]);
        Assert.Equal(AgentOptions.DeriveDatapathId("h1"), (string?)body["datapathId"]);
        Assert.Equal("02:aa:bb:cc:dd:ee", (string?)body["uplinkMac"]);
        Assert.Equal(3u, (uint?)body["uplinkPort"]);
        Assert.Equal("198.18.0.1", (string?)body["underlayIp"]);
        Assert.Equal("seg1", (string?)body["segment"]);
    }

    [Fact]
    public async Task RunAsync_ControllerUp_RegistersAgainEveryHeartbeatButNotifiesOnce()
    {
        using var controller = new FakeControllerHandler();
        using var api = controller.CreateClient();
        var registrar = new HostRegistrar(api, AgentApplication.Registration(Options, new UplinkFacts(3, "02:aa:bb:cc:dd:ee")), Options, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        int notified = 0;

        Task running = registrar.RunAsync(() => Interlocked.Increment(ref notified), stop.Token);
        await Poll.UntilAsync(() => controller.Requests.Count(r => r.Path == "/v1/hosts") >= 3, "three registrations");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal(1, notified);
    }

    [Fact]
    public async Task RunAsync_ControllerDownThenUp_RegistersWhenItAnswersAndNotifiesAfterEachGap()
    {
        using var controller = new FakeControllerHandler { Down = true };
        using var api = controller.CreateClient();
        var registrar = new HostRegistrar(api, AgentApplication.Registration(Options, new UplinkFacts(3, "02:aa:bb:cc:dd:ee")), Options, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        int notified = 0;

        Task running = registrar.RunAsync(() => Interlocked.Increment(ref notified), stop.Token);
        await Poll.UntilAsync(() => controller.Refused >= 2, "two refused registrations (a retry) while the controller is down");
        Assert.Empty(controller.Requests);
        Assert.Equal(0, Volatile.Read(ref notified));

        controller.Down = false;
        await controller.WaitForAsync(r => r.Path == "/v1/hosts");
        await Poll.UntilAsync(() => Volatile.Read(ref notified) == 1, "the first notification");

        // A controller restart: down until the agent has tried and failed, then back; the agent registers again and
        // says so again. (Waiting for the refusal, not for a fixed time: on a loaded machine the heartbeat timer
        // can fire late enough that a fixed window holds no attempt at all.)
        int refused = controller.Refused;
        controller.Down = true;
        await Poll.UntilAsync(() => controller.Refused > refused, "a refused registration while the controller is down");
        int before = controller.Requests.Count;
        controller.Down = false;
        await Poll.UntilAsync(() => controller.Requests.Count > before, "a registration once the controller is back");
        await Poll.UntilAsync(() => Volatile.Read(ref notified) == 2, "a second notification after the gap");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void DeriveDatapathId_Names_StableSixteenHexDigitsDistinctPerName()
    {
        string h1 = AgentOptions.DeriveDatapathId("h1");

        Assert.Equal(h1, AgentOptions.DeriveDatapathId("h1"));
        Assert.Matches("^[0-9a-f]{16}$", h1);
        Assert.NotEqual(h1, AgentOptions.DeriveDatapathId("h2"));
        Assert.Equal("00000000000000ab", (Options with { DatapathId = "00000000000000AB" }).EffectiveDatapathId);
    }
}
