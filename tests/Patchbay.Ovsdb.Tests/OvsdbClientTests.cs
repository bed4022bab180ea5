// The JSON-RPC layer against the byte-level fake server: request bytes, framing of split and concatenated replies,
// id correlation, echo both ways, and the mapping of RPC, operation, commit and protocol errors.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Values;
using Patchbay.Testing.Ovsdb;

namespace Patchbay.Ovsdb.Tests;

public sealed class OvsdbClientTests : FakeServerTest
{
    private const string U1 = "9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b01";
    private const string U2 = "9ee3a5ba-6b5c-4e3a-8d3e-6f1a4d2c0b02";

    [Fact]
    public async Task ListDbsAsync_ReplyOneBytePerWrite_ReturnsNames()
    {
        Task<IReadOnlyList<string>> call = Client.ListDbsAsync();

        Assert.Equal("""{"method":"list_dbs","params":[],"id":1}""", await Peer.ReadMessageTextAsync());
        await Peer.SendOneBytePerWriteAsync("""{"id":1,"result":["Open_vSwitch","_Server"],"error":null}""");

        Assert.Equal(["Open_vSwitch", "_Server"], await call.WaitAsync(Timeout));
    }

    [Fact]
    public async Task CallAsync_TwoRepliesInOneWriteInReverseOrder_EachCallGetsItsOwn()
    {
        Task<JsonNode?> first = Client.CallAsync("list_dbs", []);
        Task<JsonNode?> second = Client.CallAsync("list_dbs", []);
        JsonObject a = await Peer.ReadRequestAsync("list_dbs");
        JsonObject b = await Peer.ReadRequestAsync("list_dbs");

        await Peer.SendAsync(FakeOvsdbConnection.Response(b, "[\"second\"]") + FakeOvsdbConnection.Response(a, "[\"first\"]"));

        Assert.Equal("[\"first\"]", (await first.WaitAsync(Timeout))!.ToJsonString());
        Assert.Equal("[\"second\"]", (await second.WaitAsync(Timeout))!.ToJsonString());
    }

    [Fact]
    public async Task CallAsync_ReplySplitAcrossWritesWithWhitespace_Completes()
    {
        Task<JsonNode?> call = Client.CallAsync("list_dbs", []);
        JsonObject request = await Peer.ReadRequestAsync("list_dbs");

        await Peer.SendInChunksAsync("\n  " + FakeOvsdbConnection.Response(request, """["a{b","}c\""]""") + "\n", 3);

        JsonArray result = (await call.WaitAsync(Timeout))!.AsArray();
        Assert.Equal(["a{b", "}c\""], result.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task ServerEcho_Request_AnsweredWithItsParamsAndId()
    {
        await Peer.SendEchoRequestAsync("\"echo-7\"", """[1,"x",{"k":[]}]""");

        Assert.Equal("""{"result":[1,"x",{"k":[]}],"error":null,"id":"echo-7"}""", await Peer.ReadMessageTextAsync());
    }

    [Fact]
    public async Task EchoAsync_ServerEchoesParams_Completes()
    {
        Task call = Client.EchoAsync();
        JsonObject request = await Peer.ReadRequestAsync("echo");

        await Peer.SendAsync(FakeOvsdbConnection.Response(request, request["params"]!.ToJsonString()));

        await call.WaitAsync(Timeout);
    }

    [Fact]
    public async Task EchoAsync_ServerReturnsOtherParams_ThrowsProtocolError()
    {
        Task call = Client.EchoAsync();
        JsonObject request = await Peer.ReadRequestAsync("echo");

        await Peer.SendAsync(FakeOvsdbConnection.Response(request, "[\"other\"]"));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal(OvsdbErrorKind.Protocol, ex.Kind);
    }

    [Fact]
    public async Task CallAsync_RpcError_ThrowsWithErrorAndDetails()
    {
        Task call = Client.GetSchemaAsync("Nope");
        JsonObject request = await Peer.ReadRequestAsync("get_schema");

        await Peer.SendAsync(FakeOvsdbConnection.ErrorResponse(request, """{"error":"unknown database","details":"get_schema asked for database Nope"}"""));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal((OvsdbErrorKind.Rpc, "unknown database", "get_schema asked for database Nope", (int?)null), (ex.Kind, ex.Error, ex.Details, ex.OperationIndex));
    }

    [Fact]
    public async Task CallAsync_RpcErrorAsBareString_ThrowsWithThatError()
    {
        Task call = Client.ListDbsAsync();
        JsonObject request = await Peer.ReadRequestAsync("list_dbs");

        await Peer.SendAsync(FakeOvsdbConnection.ErrorResponse(request, "\"not allowed\""));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal((OvsdbErrorKind.Rpc, "not allowed", (string?)null), (ex.Kind, ex.Error, ex.Details));
    }

    [Fact]
    public async Task TransactAsync_NamedUuids_SendsRfc7047RequestBytes()
    {
        Task<IReadOnlyList<OvsdbOperationResult>> call = Client.TransactAsync(
            "Open_vSwitch",
            new InsertOperation("Interface", new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("p1"), ["type"] = OvsdbValue.String("internal") }, "iface"),
            new InsertOperation("Port", new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("p1"), ["interfaces"] = OvsdbValue.NamedUuid("iface") }, "port"),
            new MutateOperation("Bridge", [OvsdbCondition.NameIs("br0")], [OvsdbMutation.Insert("ports", OvsdbValue.Set(OvsdbValue.NamedUuid("port")))]));

        Assert.Equal(
            """{"method":"transact","params":["Open_vSwitch",""" +
            """{"op":"insert","table":"Interface","row":{"name":"p1","type":"internal"},"uuid-name":"iface"},""" +
            """{"op":"insert","table":"Port","row":{"name":"p1","interfaces":["named-uuid","iface"]},"uuid-name":"port"},""" +
            """{"op":"mutate","table":"Bridge","where":[["name","==","br0"]],"mutations":[["ports","insert",["set",[["named-uuid","port"]]]]]}""" +
            """],"id":1}""",
            await Peer.ReadMessageTextAsync());
        await Peer.SendAsync($$"""{"id":1,"result":[{"uuid":["uuid","{{U1}}"]},{"uuid":["uuid","{{U2}}"]},{"count":1}],"error":null}""");

        IReadOnlyList<OvsdbOperationResult> results = await call.WaitAsync(Timeout);
        Assert.Equal([Guid.Parse(U1), Guid.Parse(U2)], results.Take(2).Select(r => r.InsertedUuid));
        Assert.Equal(1, results[2].Count);
    }

    [Fact]
    public async Task TransactAsync_SelectResult_ReturnsRows()
    {
        Task<IReadOnlyList<OvsdbOperationResult>> call = Client.TransactAsync("Open_vSwitch", new SelectOperation("Bridge", [], ["_uuid", "name"]));
        JsonObject request = await Peer.ReadRequestAsync("transact");

        await Peer.SendAsync(FakeOvsdbConnection.Response(request, $$"""[{"rows":[{"_uuid":["uuid","{{U1}}"],"name":"br0"}]}]"""));

        OvsdbRow row = Assert.Single((await call.WaitAsync(Timeout))[0].SelectedRows);
        Assert.Equal((Guid.Parse(U1), "br0"), (row.Uuid, row.GetString("name")));
    }

    [Fact]
    public async Task TransactAsync_OperationError_ThrowsWithIndexErrorAndDetails()
    {
        Task call = Client.TransactAsync(
            "Open_vSwitch",
            new CommentOperation("first"),
            new WaitOperation("Bridge", [OvsdbCondition.NameIs("br0")], ["name"], "==", []),
            new CommentOperation("never run"));
        JsonObject request = await Peer.ReadRequestAsync("transact");

        await Peer.SendAsync(FakeOvsdbConnection.Response(request, """[{},{"error":"timed out","details":"\"wait\" timed out"},null]"""));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal((OvsdbErrorKind.Operation, "timed out", "\"wait\" timed out", (int?)1), (ex.Kind, ex.Error, ex.Details, ex.OperationIndex));
        Assert.Contains("operation 1 (wait)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransactAsync_CommitError_IndexEqualsOperationCount()
    {
        Task call = Client.TransactAsync("Open_vSwitch", new InsertOperation("Bridge", new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("br0") }));
        JsonObject request = await Peer.ReadRequestAsync("transact");

        await Peer.SendAsync(FakeOvsdbConnection.Response(
            request,
            $$"""[{"uuid":["uuid","{{U1}}"]},{"error":"constraint violation","details":"Transaction causes multiple rows in \"Bridge\" table to have identical values (\"br0\") for index on column \"name\"."}]"""));

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal((OvsdbErrorKind.Operation, "constraint violation", (int?)1), (ex.Kind, ex.Error, ex.OperationIndex));
        Assert.StartsWith("Transaction causes multiple rows", ex.Details, StringComparison.Ordinal);
        Assert.Contains("at commit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransactAsync_FewerResultsThanOperations_ThrowsProtocolError()
    {
        Task call = Client.TransactAsync("Open_vSwitch", new CommentOperation("a"), new CommentOperation("b"));
        JsonObject request = await Peer.ReadRequestAsync("transact");

        await Peer.SendAsync(FakeOvsdbConnection.Response(request, "[{}]"));

        Assert.Equal(OvsdbErrorKind.Protocol, (await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout))).Kind);
    }

    [Fact]
    public async Task CallAsync_CancelledBeforeReply_ThrowsAndLateReplyIsIgnored()
    {
        using var cancel = new CancellationTokenSource();
        Task<JsonNode?> abandoned = Client.CallAsync("list_dbs", [], cancel.Token);
        JsonObject first = await Peer.ReadRequestAsync("list_dbs");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Timeout));
        Task<JsonNode?> next = Client.CallAsync("list_dbs", []);
        JsonObject second = await Peer.ReadRequestAsync("list_dbs");
        await Peer.SendAsync(FakeOvsdbConnection.Response(first, "[\"late\"]") + FakeOvsdbConnection.Response(second, "[\"next\"]"));

        Assert.Equal("[\"next\"]", (await next.WaitAsync(Timeout))!.ToJsonString());
    }

    [Fact]
    public async Task ServerRequest_UnknownMethodWithId_AnsweredWithError()
    {
        await Peer.SendAsync("""{"method":"lock_magic","params":[],"id":5}""");

        Assert.Equal("""{"result":null,"error":"unknown method","id":5}""", await Peer.ReadMessageTextAsync());
    }

    [Fact]
    public async Task ServerCloses_PendingCall_ThrowsConnectionClosed()
    {
        Task call = Client.ListDbsAsync();
        await Peer.ReadRequestAsync("list_dbs");

        Peer.Abort();

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal(OvsdbErrorKind.ConnectionClosed, ex.Kind);
        await Client.Completion.WaitAsync(Timeout);
        Assert.Equal(OvsdbErrorKind.ConnectionClosed, (await Assert.ThrowsAsync<OvsdbException>(() => Client.ListDbsAsync())).Kind);
    }

    [Fact]
    public async Task ServerSendsMalformedJson_ClosesConnectionWithProtocolErrorCause()
    {
        Task call = Client.ListDbsAsync();
        await Peer.ReadRequestAsync("list_dbs");

        await Peer.SendAsync("{\"id\":1,\"result\":[nope]}");

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => call.WaitAsync(Timeout));
        Assert.Equal(OvsdbErrorKind.ConnectionClosed, ex.Kind);
        Assert.Equal(OvsdbErrorKind.Protocol, Assert.IsType<OvsdbException>(ex.InnerException).Kind);
        Assert.True(await Peer.ClientClosedAsync());
    }

    [Fact]
    public async Task DisposeAsync_OpenConnection_ClosesSocket()
    {
        await Client.DisposeAsync();

        Assert.True(await Peer.ClientClosedAsync());
    }
}
