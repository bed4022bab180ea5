// The Open_vSwitch helpers' transactions against the fake server: what they read, what they write (named-uuids,
// wait guards, mutate on shared sets) and how they retry when a wait guard shows a concurrent change.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.OpenVSwitch;
using Patchbay.Testing.Ovsdb;

namespace Patchbay.Ovsdb.Tests.OpenVSwitch;

public sealed class OpenVSwitchDbTests : FakeServerTest
{
    private const string Root = "1ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b00";
    private const string Bridge = "2ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b00";
    private const string Controller = "3ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b00";

    private static readonly OvsBridgeSpec Spec = new("pb0")
    {
        DatapathType = "netdev",
        FailMode = "secure",
        Protocols = ["OpenFlow13"],
        DatapathId = "00000000000000A1",
        Controllers = ["unix:/run/pb/of.sock"],
    };

    private JsonObject? _unanswered;

    [Fact]
    public async Task EnsureBridgeAsync_EmptyDatabase_CreatesRootBridgePortAndControllerInOneTransaction()
    {
        Task<Guid> ensure = new OpenVSwitchDb(Client).EnsureBridgeAsync(Spec);
        await AnswerAsync("""[{"rows":[]},{"rows":[]},{"rows":[]},{"rows":[]}]""");

        JsonArray ops = await ReadTransactionAsync();

        Assert.Equal(
            ["wait Open_vSwitch", "insert Open_vSwitch", "insert Controller", "insert Interface", "insert Port", "wait Bridge", "insert Bridge", "mutate Open_vSwitch", "comment "],
            ops.Select(o => $"{o!["op"]} {o["table"]}"));
        JsonNode bridge = ops[6]!;
        Assert.Equal(
            """{"datapath_type":"netdev","fail_mode":["set",["secure"]],"protocols":["set",["OpenFlow13"]],"controller":["set",[["named-uuid","pb_controller0"]]],"name":"pb0","ports":["set",[["named-uuid","pb_local_port"]]],"other_config":["map",[["datapath-id","00000000000000a1"]]]}""",
            bridge["row"]!.ToJsonString());
        Assert.Equal("""[["bridges","insert",["set",[["named-uuid","pb_bridge"]]]]]""", ops[7]!["mutations"]!.ToJsonString());
        Assert.Equal("""{"op":"wait","timeout":0,"table":"Bridge","where":[["name","==","pb0"]],"columns":["name"],"until":"==","rows":[]}""", ops[5]!.ToJsonString());
        await RespondAsync($$"""[{},{"uuid":["uuid","{{Root}}"]},{"uuid":["uuid","{{Controller}}"]},{"uuid":["uuid","{{Controller}}"]},{"uuid":["uuid","{{Controller}}"]},{},{"uuid":["uuid","{{Bridge}}"]},{"count":1},{}]""");
        Assert.Equal(Guid.Parse(Bridge), await ensure.WaitAsync(Timeout));
    }

    [Fact]
    public async Task EnsureBridgeAsync_ExistingBridgeSameControllers_UpdatesInPlaceWithoutTouchingControllers()
    {
        Task<Guid> ensure = new OpenVSwitchDb(Client).EnsureBridgeAsync(Spec);
        await AnswerAsync(ExistingState("unix:/run/pb/of.sock"));

        JsonArray ops = await ReadTransactionAsync();

        Assert.Equal(["update Bridge", "mutate Bridge", "mutate Open_vSwitch", "comment "], ops.Select(o => $"{o!["op"]} {o["table"]}"));
        Assert.Null(ops[0]!["row"]!["controller"]);
        Assert.Equal(
            """[["other_config","delete",["set",["datapath-id"]]],["other_config","insert",["map",[["datapath-id","00000000000000a1"]]]]]""",
            ops[1]!["mutations"]!.ToJsonString());
        await RespondAsync("""[{"count":1},{"count":1},{"count":1},{}]""");
        Assert.Equal(Guid.Parse(Bridge), await ensure.WaitAsync(Timeout));
    }

    [Fact]
    public async Task EnsureBridgeAsync_ControllersChangedConcurrently_RereadsAndRetries()
    {
        Task<Guid> ensure = new OpenVSwitchDb(Client).EnsureBridgeAsync(Spec);
        await AnswerAsync(ExistingState("tcp:10.0.0.1:6653"));
        JsonArray first = await ReadTransactionAsync();
        Assert.Equal(["insert Controller", "wait Bridge", "update Bridge"], first.Take(3).Select(o => $"{o!["op"]} {o["table"]}"));

        await RespondAsync("""[{"uuid":["uuid","3ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b00"]},{"error":"timed out","details":"\"wait\" timed out after 0 ms"},null,null,null,null]""");
        await AnswerAsync(ExistingState("unix:/run/pb/of.sock"));
        JsonArray second = await ReadTransactionAsync();
        await RespondAsync("""[{"count":1},{"count":1},{"count":1},{}]""");

        Assert.Equal("update", second[0]!["op"]!.GetValue<string>());
        Assert.Equal(Guid.Parse(Bridge), await ensure.WaitAsync(Timeout));
    }

    [Fact]
    public async Task EnsureBridgeAsync_BadDatapathId_ThrowsBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new OpenVSwitchDb(Client).EnsureBridgeAsync(Spec with { DatapathId = "a1" }));
    }

    [Fact]
    public async Task AddPortAsync_NewPort_InsertsInterfaceAndPortAndMutatesBridgePorts()
    {
        Task<Guid> add = new OpenVSwitchDb(Client).AddPortAsync("pb0", "veth1", null, new Dictionary<string, string> { ["endpoint"] = "e1" }, 5);
        await AnswerAsync($$"""[{"rows":[{"_uuid":["uuid","{{Bridge}}"]}]},{"rows":[]}]""");

        JsonArray ops = await ReadTransactionAsync();

        Assert.Equal(["wait Port", "insert Interface", "insert Port", "mutate Bridge", "comment "], ops.Select(o => $"{o!["op"]} {o["table"]}"));
        Assert.Equal("""{"name":"veth1","type":"","external_ids":["map",[["endpoint","e1"]]],"ofport_request":5}""", ops[1]!["row"]!.ToJsonString());
        Assert.Equal($$"""[["_uuid","==",["uuid","{{Bridge}}"]]]""", ops[3]!["where"]!.ToJsonString());
        Assert.Equal("""[["ports","insert",["set",[["named-uuid","pb_port"]]]]]""", ops[3]!["mutations"]!.ToJsonString());
        await RespondAsync($$"""[{},{"uuid":["uuid","{{Controller}}"]},{"uuid":["uuid","{{Root}}"]},{"count":1},{}]""");
        Assert.Equal(Guid.Parse(Root), await add.WaitAsync(Timeout));
    }

    [Fact]
    public async Task AddPortAsync_MissingBridge_ThrowsInvalidOperation()
    {
        Task<Guid> add = new OpenVSwitchDb(Client).AddPortAsync("nope", "veth1");
        await AnswerAsync("""[{"rows":[]},{"rows":[]}]""");

        await Assert.ThrowsAsync<InvalidOperationException>(() => add.WaitAsync(Timeout));
    }

    [Fact]
    public async Task GetInterfaceAsync_Row_MapsColumns()
    {
        Task<OvsInterface?> get = new OpenVSwitchDb(Client).GetInterfaceAsync("veth1");
        await AnswerAsync($$"""
            [{"rows":[{"_uuid":["uuid","{{Root}}"],"name":"veth1","type":"","ofport":3,"ofport_request":["set",[]],
              "mac_in_use":"aa:bb:cc:00:00:01","link_state":"up","admin_state":"up","error":["set",[]],
              "external_ids":["map",[["endpoint","e1"]]]}]}]
            """);

        OvsInterface? iface = await get.WaitAsync(Timeout);

        Assert.Equal(
            new OvsInterface(Guid.Parse(Root), "veth1", string.Empty, 3, null, "aa:bb:cc:00:00:01", "up", "up", null, iface!.ExternalIds),
            iface);
        Assert.Equal("e1", iface.ExternalIds["endpoint"]);
    }

    [Fact]
    public async Task GetInterfaceAsync_NoRow_ReturnsNull()
    {
        Task<OvsInterface?> get = new OpenVSwitchDb(Client).GetInterfaceAsync("missing");
        await AnswerAsync("""[{"rows":[]}]""");

        Assert.Null(await get.WaitAsync(Timeout));
    }

    private static string ExistingState(string controllerTarget) => $$"""
        [{"rows":[{"_uuid":["uuid","{{Root}}"]}]},
         {"rows":[{"_uuid":["uuid","{{Bridge}}"],"controller":["uuid","{{Controller}}"]}]},
         {"rows":[{"_uuid":["uuid","{{Controller}}"]}]},
         {"rows":[{"_uuid":["uuid","{{Controller}}"],"target":"{{controllerTarget}}"}]}]
        """;

    /// <summary>Reads the next transact request and answers it at once.</summary>
    private async Task AnswerAsync(string resultJson) => await Peer.ExpectAsync("transact", resultJson);

    /// <summary>Answers the request <see cref="ReadTransactionAsync"/> returned.</summary>
    private async Task RespondAsync(string resultJson) => await Peer.SendAsync(FakeOvsdbConnection.Response(_unanswered!, resultJson));

    /// <summary>Reads the next transact request, leaving it unanswered, and returns its operations.</summary>
    private async Task<JsonArray> ReadTransactionAsync()
    {
        JsonObject request = await Peer.ReadRequestAsync("transact");
        _unanswered = request;
        JsonArray parameters = request["params"]!.AsArray();
        Assert.Equal("Open_vSwitch", parameters[0]!.GetValue<string>());
        return [.. parameters.Skip(1).Select(p => p!.DeepClone())];
    }
}
