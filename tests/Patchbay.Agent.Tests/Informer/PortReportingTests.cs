// Informer -> cache -> work queue -> reconciler, end to end against the byte-level fake OVSDB server and the fake
// controller: endpoints already plugged at start are reported, an ofport that appears or changes is reported once,
// other interfaces and unchanged ports are not, and a report the controller missed is retried.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Patchbay.Agent.Informer;
using Patchbay.Agent.Tests.Fakes;
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Testing.Ovsdb;

namespace Patchbay.Agent.Tests.Informer;

public sealed class PortReportingTests : IAsyncLifetime
{
    private const string Web1 = "aaaaaaaa-0000-0000-0000-000000000001";
    private const string Uplink = "aaaaaaaa-0000-0000-0000-000000000002";
    private const string Db1 = "aaaaaaaa-0000-0000-0000-000000000003";

    private const string EmptySet = "[\"set\",[]]";

    private readonly FakeControllerHandler _controller = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeOvsdbServer? _server;
    private FakeOvsdbConnection? _connection;
    private OvsdbClient? _client;
    private string _monitorId = string.Empty;
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = FakeOvsdbServer.Start();
        Task<FakeOvsdbConnection> accepting = _server.AcceptAsync();
        _client = await OvsdbClient.ConnectAsync(OvsdbEndpoint.Parse(_server.Endpoint));
        _connection = await accepting;
        _controller.KnownEndpoints["web1"] = true;
        _controller.KnownEndpoints["db1"] = true;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(5)));
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _controller.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Start_EndpointsAlreadyPlugged_EachReportedWithItsPortAndUplinkNot()
    {
        await StartAsync(Initial(
            (Web1, Row("pb1111111111", 5, "patchbay-endpoint", "web1")),
            (Uplink, Row("up0", 1, "patchbay-role", "uplink")),
            (Db1, Row("pb2222222222", 6, "patchbay-endpoint", "db1"))));

        await _controller.WaitForAsync(r => r.Path == "/v1/endpoints/web1/port" && Port(r) == 5);
        await _controller.WaitForAsync(r => r.Path == "/v1/endpoints/db1/port" && Port(r) == 6);
        Assert.Equal(2, _controller.Requests.Count);
        Assert.All(_controller.Requests, r => Assert.Equal("PUT", r.Method));
    }

    [Fact]
    public async Task Update_OfPortAssignedThenChanged_ReportedOnceForEachPort()
    {
        await StartAsync(Initial((Web1, Row("pb1111111111", null, "patchbay-endpoint", "web1"))));
        await Task.Delay(200);
        Assert.Empty(_controller.Requests);

        await UpdateAsync(Web1, """{"ofport":["set",[]]}""", Row("pb1111111111", 7, "patchbay-endpoint", "web1"));
        await _controller.WaitForAsync(r => r.Path == "/v1/endpoints/web1/port" && Port(r) == 7);

        // A change that leaves the port alone (link state) reports nothing; a new port is reported.
        await UpdateAsync(Web1, """{"link_state":"down"}""", Row("pb1111111111", 7, "patchbay-endpoint", "web1", linkState: "up"));
        await UpdateAsync(Web1, """{"ofport":7}""", Row("pb1111111111", 9, "patchbay-endpoint", "web1", linkState: "up"));
        await _controller.WaitForAsync(r => Port(r) == 9);

        Assert.Equal([7u, 9u], _controller.Requests.Select(Port));
    }

    [Fact]
    public async Task Update_ControllerDownDuringReport_RetriedUntilReported()
    {
        _controller.Down = true;
        await StartAsync(Initial((Web1, Row("pb1111111111", 4, "patchbay-endpoint", "web1"))), retryDelay: TimeSpan.FromMilliseconds(50));
        await Poll.UntilAsync(() => _controller.Refused >= 2, "two refused reports (a retry) while the controller is down");
        Assert.Empty(_controller.Requests);

        _controller.Down = false;

        await _controller.WaitForAsync(r => r.Path == "/v1/endpoints/web1/port" && Port(r) == 4);
    }

    [Fact]
    public async Task ResyncAll_AfterControllerRestart_ReportsEveryPortAgain()
    {
        PortReconciler reconciler = await StartAsync(Initial((Web1, Row("pb1111111111", 5, "patchbay-endpoint", "web1"))));
        await _controller.WaitForAsync(r => Port(r) == 5);

        reconciler.ResyncAll();

        await Poll.UntilAsync(() => _controller.Requests.Count(r => Port(r) == 5) == 2, "port 5 reported a second time");
    }

    [Fact]
    public async Task ResyncAll_WhileAReportIsInFlight_ReportsItAgainOnceAnswered()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _controller.HoldAnswers = hold;
        PortReconciler reconciler = await StartAsync(Initial((Web1, Row("pb1111111111", 5, "patchbay-endpoint", "web1"))));
        await _controller.WaitForAsync(r => Port(r) == 5);

        // The controller restarts while the report is on its way: the answer to the old report must not count for
        // the resync.
        reconciler.ResyncAll();
        _controller.HoldAnswers = null;
        hold.SetResult();

        await Poll.UntilAsync(() => _controller.Requests.Count(r => Port(r) == 5) == 2, "port 5 reported again after the resync");
    }

    [Fact]
    public async Task Update_InterfaceDeleted_DroppedFromCache()
    {
        var queue = new WorkQueue();
        var cache = new EndpointPortCache(queue);
        cache.Apply(new OvsdbRowUpdate("Interface", Guid.Parse(Web1), OvsdbRowChange.Initial, null, Ovsdb.Values.OvsdbRow.FromJson(JsonNode.Parse(Row("pb1111111111", 5, "patchbay-endpoint", "web1")))));
        Assert.Equal(5, cache.Find("web1")?.OfPort);

        cache.Apply(new OvsdbRowUpdate("Interface", Guid.Parse(Web1), OvsdbRowChange.Delete, null, null));

        Assert.Null(cache.Find("web1"));
        Assert.Empty(cache.Snapshot());
    }

    private async Task<PortReconciler> StartAsync(string initialTableUpdates, TimeSpan? retryDelay = null)
    {
        var queue = new WorkQueue();
        var cache = new EndpointPortCache(queue);
        var reconciler = new PortReconciler(cache, queue, _controller.CreateClient(), NullLogger.Instance, retryDelay);
        var informer = new InterfaceInformer(_client!, cache);
        Task<OvsdbMonitor> starting = informer.StartAsync(_stop.Token);
        JsonObject request = await _connection!.ReadRequestAsync("monitor");
        _monitorId = request["params"]![1]!.ToJsonString();
        Assert.Equal("Open_vSwitch", (string?)request["params"]![0]);
        Assert.Equal(InterfaceInformer.Columns, request["params"]![2]!["Interface"]![0]!["columns"]!.AsArray().Select(c => (string)c!));
        await _connection.SendAsync(FakeOvsdbConnection.Response(request, initialTableUpdates));
        OvsdbMonitor monitor = await starting;
        _running = Task.WhenAll(InterfaceInformer.RunAsync(monitor, cache, _stop.Token), reconciler.RunAsync(_stop.Token));
        return reconciler;
    }

    private Task UpdateAsync(string uuid, string oldColumns, string newRow) =>
        _connection!.SendUpdateAsync("update", _monitorId, "{\"Interface\":{\"" + uuid + "\":{\"old\":" + oldColumns + ",\"new\":" + newRow + "}}}");

    private static string Initial(params (string Uuid, string Row)[] rows) =>
        "{\"Interface\":{" + string.Join(',', rows.Select(r => "\"" + r.Uuid + "\":{\"new\":" + r.Row + "}")) + "}}";

    private static string Row(string name, int? ofport, string key, string value, string? linkState = null)
    {
        string port = ofport is int p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : EmptySet;
        string link = linkState is null ? EmptySet : "\"" + linkState + "\"";
        return "{\"name\":\"" + name + "\",\"ofport\":" + port + ",\"external_ids\":[\"map\",[[\"" + key + "\",\"" + value + "\"]]],\"link_state\":" + link + "}";
    }

    private static uint Port(RecordedRequest request) => (uint)JsonNode.Parse(request.Body)!["ovsPort"]!;
}
