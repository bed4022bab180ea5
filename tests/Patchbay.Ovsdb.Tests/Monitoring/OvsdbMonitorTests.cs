// monitor, monitor_cond and monitor_cancel against the fake server: request bytes, initial rows, updates routed by
// monitor id, update2 diffs applied, and the updates stream completing on cancel or disconnect.
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Values;
using Patchbay.Testing.Ovsdb;

namespace Patchbay.Ovsdb.Tests.Monitoring;

public sealed class OvsdbMonitorTests : FakeServerTest
{
    private const string U1 = "9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01";
    private const string U2 = "9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02";

    private const string MiniSchema = """
        {"name":"Open_vSwitch","version":"8.3.0","tables":{"Interface":{"columns":{
          "name":{"type":"string"},
          "link_state":{"type":{"key":{"type":"string","enum":["set",["up","down"]]},"min":0,"max":1}},
          "external_ids":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}}}}}
        """;

    [Fact]
    public async Task MonitorAsync_InitialThenUpdates_ReportsInitialModifyInsertDelete()
    {
        Task<OvsdbMonitor> start = Client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("Bridge", ["name"])]);
        Assert.Equal(
            """{"method":"monitor","params":["Open_vSwitch","pb-monitor-1",{"Bridge":[{"columns":["name"]}]}],"id":1}""",
            await Peer.ReadMessageTextAsync());
        await Peer.SendAsync("""{"id":1,"result":{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"new":{"name":"br0"}}}},"error":null}""");
        OvsdbMonitor monitor = await start.WaitAsync(Timeout);

        await Peer.SendUpdateAsync("update", "\"pb-monitor-1\"", """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"old":{"name":"br0"},"new":{"name":"br1"}}}}""");
        await Peer.SendUpdateAsync("update", "\"pb-monitor-1\"", """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02":{"new":{"name":"br2"}}}}""");
        await Peer.SendUpdateAsync("update", "\"pb-monitor-1\"", """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"old":{"name":"br1"}}}}""");

        OvsdbRowUpdate initial = Assert.Single(monitor.Initial);
        Assert.Equal((OvsdbRowChange.Initial, "Bridge", Guid.Parse(U1), "br0"), (initial.Change, initial.Table, initial.Uuid, initial.New!.GetString("name")));
        OvsdbRowUpdate modify = await ReadAsync(monitor.Updates);
        Assert.Equal((OvsdbRowChange.Modify, "br0", "br1"), (modify.Change, modify.Old!.GetString("name"), modify.New!.GetString("name")));
        OvsdbRowUpdate insert = await ReadAsync(monitor.Updates);
        Assert.Equal((OvsdbRowChange.Insert, Guid.Parse(U2), (OvsdbRow?)null), (insert.Change, insert.Uuid, insert.Old));
        OvsdbRowUpdate delete = await ReadAsync(monitor.Updates);
        Assert.Equal((OvsdbRowChange.Delete, "br1", (OvsdbRow?)null), (delete.Change, delete.Old!.GetString("name"), delete.New));
    }

    [Fact]
    public async Task MonitorAsync_ReplyAndFirstUpdateInOneWrite_LosesNeither()
    {
        Task<OvsdbMonitor> start = Client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("Bridge")]);
        JsonObject request = await Peer.ReadRequestAsync("monitor");

        await Peer.SendAsync(
            FakeOvsdbConnection.Response(request, """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"new":{"name":"br0"}}}}""") +
            """{"method":"update","params":["pb-monitor-1",{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"old":{"name":"br0"},"new":{"name":"br9"}}}}],"id":null}""");

        OvsdbMonitor monitor = await start.WaitAsync(Timeout);
        Assert.Equal("br0", Assert.Single(monitor.Initial).New!.GetString("name"));
        Assert.Equal("br9", (await ReadAsync(monitor.Updates)).New!.GetString("name"));
    }

    [Fact]
    public async Task MonitorAsync_UpdateForOtherMonitorId_IsNotDelivered()
    {
        OvsdbMonitor monitor = await StartBridgeMonitorAsync();

        await Peer.SendUpdateAsync("update", "\"someone-else\"", """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02":{"new":{"name":"x"}}}}""");
        await Peer.SendUpdateAsync("update", "\"pb-monitor-1\"", """{"Bridge":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02":{"new":{"name":"mine"}}}}""");

        Assert.Equal("mine", (await ReadAsync(monitor.Updates)).New!.GetString("name"));
    }

    [Fact]
    public async Task MonitorAsync_WhereCondition_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.MonitorAsync(
            "Open_vSwitch",
            [new OvsdbMonitorRequest("Bridge", Where: [OvsdbCondition.NameIs("br0")])]));
    }

    [Fact]
    public async Task MonitorCondAsync_Update2Modify_AppliesDiffToReplica()
    {
        Task<OvsdbMonitor> start = Client.MonitorCondAsync(
            "Open_vSwitch",
            [new OvsdbMonitorRequest("Interface", ["name", "link_state", "external_ids"], [OvsdbCondition.NameIs("p1")], new OvsdbMonitorSelect(Modify: true))]);
        await Peer.ExpectAsync("get_schema", MiniSchema);
        Assert.Equal(
            """{"method":"monitor_cond","params":["Open_vSwitch","pb-monitor-1",{"Interface":[{"columns":["name","link_state","external_ids"],"where":[["name","==","p1"]],"select":{"initial":true,"insert":true,"delete":true,"modify":true}}]}],"id":2}""",
            await Peer.ReadMessageTextAsync());
        await Peer.SendAsync("""{"id":2,"result":{"Interface":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"initial":{"name":"p1","link_state":"down","external_ids":["map",[["a","1"],["b","2"]]]}}}},"error":null}""");
        OvsdbMonitor monitor = await start.WaitAsync(Timeout);

        // link_state "down" -> "up" is the set diff {down, up}; external_ids drops a=1, changes b, adds c.
        await Peer.SendUpdateAsync("update2", "\"pb-monitor-1\"", """{"Interface":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01":{"modify":{"link_state":["set",["down","up"]],"external_ids":["map",[["a","1"],["b","3"],["c","4"]]]}}}}""");

        Assert.Equal(OvsdbRowChange.Initial, Assert.Single(monitor.Initial).Change);
        OvsdbRowUpdate modify = await ReadAsync(monitor.Updates);
        Assert.Equal(OvsdbRowChange.Modify, modify.Change);
        Assert.Equal(("p1", "up"), (modify.New!.GetString("name"), modify.New.GetOptionalString("link_state")));
        Assert.Equal(new Dictionary<string, string> { ["b"] = "3", ["c"] = "4" }, modify.New.GetStringMap("external_ids"));
        Assert.Equal("down", modify.Old!.GetOptionalString("link_state"));
    }

    [Fact]
    public async Task MonitorCondAsync_Update2InsertAndDelete_ReportsWholeRows()
    {
        Task<OvsdbMonitor> start = Client.MonitorCondAsync("Open_vSwitch", [new OvsdbMonitorRequest("Interface", Where: [])]);
        await Peer.ExpectAsync("get_schema", MiniSchema);
        await Peer.ExpectAsync("monitor_cond", "{}");
        OvsdbMonitor monitor = await start.WaitAsync(Timeout);

        await Peer.SendUpdateAsync("update2", "\"pb-monitor-1\"", """{"Interface":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02":{"insert":{"name":"p2"}}}}""");
        await Peer.SendUpdateAsync("update2", "\"pb-monitor-1\"", """{"Interface":{"9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02":{"delete":null}}}""");

        Assert.Empty(monitor.Initial);
        OvsdbRowUpdate insert = await ReadAsync(monitor.Updates);
        Assert.Equal((OvsdbRowChange.Insert, "p2"), (insert.Change, insert.New!.GetString("name")));
        OvsdbRowUpdate delete = await ReadAsync(monitor.Updates);
        Assert.Equal((OvsdbRowChange.Delete, "p2"), (delete.Change, delete.Old!.GetString("name")));
    }

    [Fact]
    public async Task MonitorCancelAsync_OpenMonitor_SendsMonitorCancelAndCompletesUpdates()
    {
        OvsdbMonitor monitor = await StartBridgeMonitorAsync();

        Task cancel = monitor.CancelAsync();
        Assert.Equal("""{"method":"monitor_cancel","params":["pb-monitor-1"],"id":2}""", await Peer.ReadMessageTextAsync());
        await Peer.SendAsync("""{"id":2,"result":{},"error":null}""");

        await cancel.WaitAsync(Timeout);
        await monitor.Updates.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task MonitorAsync_RpcError_ThrowsAndLeavesNoMonitor()
    {
        Task<OvsdbMonitor> start = Client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("NoTable")]);
        JsonObject request = await Peer.ReadRequestAsync("monitor");

        await Peer.SendAsync(FakeOvsdbConnection.ErrorResponse(request, """{"error":"unknown table","details":"no table named NoTable"}"""));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => start.WaitAsync(Timeout));
        Assert.Equal(("unknown table", "no table named NoTable"), (ex.Error, ex.Details));
    }

    [Fact]
    public async Task ServerCloses_OpenMonitor_UpdatesCompleteWithConnectionClosed()
    {
        OvsdbMonitor monitor = await StartBridgeMonitorAsync();

        Peer.Abort();

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => monitor.Updates.Completion.WaitAsync(Timeout));
        Assert.Equal(OvsdbErrorKind.ConnectionClosed, ex.Kind);
    }

    private async Task<OvsdbMonitor> StartBridgeMonitorAsync()
    {
        Task<OvsdbMonitor> start = Client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("Bridge", ["name"])]);
        await Peer.ExpectAsync("monitor", "{}");
        return await start.WaitAsync(Timeout);
    }

    private static async Task<OvsdbRowUpdate> ReadAsync(ChannelReader<OvsdbRowUpdate> updates)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await updates.ReadAsync(timeout.Token);
    }
}
