// The OVSDB client and the Open_vSwitch helpers against a real ovsdb-server, checked through ovs-vsctl.
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.OpenVSwitch;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Schema;
using Patchbay.Ovsdb.Values;

namespace Patchbay.EndToEnd.Tests.Ovsdb;

public sealed class OvsdbClientRealServerTests(OvsdbServerFixture server) : IClassFixture<OvsdbServerFixture>
{
    private static readonly TimeSpan UpdateTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ListDbsAsync_RealServer_ReturnsOpenVSwitch()
    {
        await using OvsdbClient client = await server.ConnectAsync();

        IReadOnlyList<string> dbs = await client.ListDbsAsync();

        Assert.Contains("Open_vSwitch", dbs);
    }

    [Fact]
    public async Task EchoAsync_RealServer_Completes()
    {
        await using OvsdbClient client = await server.ConnectAsync();

        await client.EchoAsync();
    }

    [Fact]
    public async Task GetSchemaAsync_OpenVSwitch_ParsesTablesColumnsAndTypes()
    {
        await using OvsdbClient client = await server.ConnectAsync();

        OvsdbSchema schema = await client.GetSchemaAsync("Open_vSwitch");

        Assert.Equal("Open_vSwitch", schema.Name);
        Assert.True(schema.Table("Open_vSwitch").IsRoot);
        Assert.Equal([["name"]], schema.Table("Bridge").Indexes);
        OvsdbColumnType ports = schema.Table("Bridge").Column("ports").Type;
        Assert.Equal(("Port", 0L, OvsdbColumnType.Unlimited), (ports.Key.RefTable, ports.Min, ports.Max));
        OvsdbColumnType failMode = schema.Table("Bridge").Column("fail_mode").Type;
        Assert.Equal(["secure", "standalone"], failMode.Key.Enum!.Select(a => a.AsString()).Order());
        Assert.False(failMode.IsScalar);
        Assert.True(schema.Table("Bridge").Column("other_config").Type.IsMap);
        Assert.Equal(65279L, schema.Table("Interface").Column("ofport_request").Type.Key.MaxInteger);
        Assert.True(schema.Table("Interface").Column("name").Type.IsScalar);
    }

    [Fact]
    public async Task EnsureBridgeAsync_CalledTwice_CreatesOneBridgeVisibleToOvsVsctl()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        var spec = new OvsBridgeSpec("pb0")
        {
            DatapathType = "netdev",
            FailMode = "secure",
            Protocols = ["OpenFlow13"],
            DatapathId = "00000000000000a1",
            Controllers = ["unix:/tmp/pb-test/of.sock", "tcp:127.0.0.1:6653"],
        };

        Guid first = await db.EnsureBridgeAsync(spec);
        Guid second = await db.EnsureBridgeAsync(spec);

        Assert.Equal(first, second);
        Assert.Equal(
            "netdev\nsecure\n[OpenFlow13]\n{datapath-id=\"00000000000000a1\"}",
            await server.VsctlAsync("get", "Bridge", "pb0", "datapath_type", "fail_mode", "protocols", "other_config"));
        Assert.Equal(
            "tcp:127.0.0.1:6653\nunix:/tmp/pb-test/of.sock",
            string.Join('\n', (await server.VsctlAsync("get-controller", "pb0")).Split('\n').Select(l => l.Trim()).Order(StringComparer.Ordinal)));
        Assert.Equal(first.ToString(), await server.VsctlAsync("--columns=_uuid", "--bare", "find", "Bridge", "name=pb0"));
        Assert.Equal(2, (await server.VsctlAsync("--columns=_uuid", "--bare", "list", "Controller")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("internal", await server.VsctlAsync("get", "Interface", "pb0", "type"));
        Assert.Contains("pb0", (await server.VsctlAsync("list-br")).Split('\n'));
    }

    [Fact]
    public async Task EnsureBridgeAsync_ChangedSpec_ReplacesControllersAndKeepsForeignOtherConfig()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbchg") { DatapathId = "0000000000000001", Controllers = ["tcp:127.0.0.1:1"] });
        await server.VsctlAsync("set", "Bridge", "pbchg", "other_config:someone-else=kept");

        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbchg")
        {
            FailMode = "standalone",
            DatapathId = "00000000000000FF",
            Controllers = ["tcp:127.0.0.1:2"],
        });

        Assert.Equal("\"00000000000000ff\"", await server.VsctlAsync("get", "Bridge", "pbchg", "other_config:datapath-id"));
        Assert.Equal("kept", await server.VsctlAsync("get", "Bridge", "pbchg", "other_config:someone-else"));
        Assert.Equal("standalone", await server.VsctlAsync("get", "Bridge", "pbchg", "fail_mode"));
        Assert.Equal("tcp:127.0.0.1:2", await server.VsctlAsync("get-controller", "pbchg"));
    }

    [Fact]
    public async Task EnsureBridgeAsync_ManyClientsAtOnce_AllGetTheSameSingleBridge()
    {
        OvsdbClient[] clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.ConnectAsync()));
        try
        {
            var spec = new OvsBridgeSpec("pbrace") { FailMode = "secure", Controllers = ["tcp:127.0.0.1:6653"] };

            Guid[] uuids = await Task.WhenAll(clients.Select(c => new OpenVSwitchDb(c).EnsureBridgeAsync(spec)));

            Assert.Single(uuids.Distinct());
            Assert.Equal(uuids[0].ToString(), await server.VsctlAsync("--columns=_uuid", "--bare", "find", "Bridge", "name=pbrace"));
            Assert.Equal("tcp:127.0.0.1:6653", await server.VsctlAsync("get-controller", "pbrace"));
        }
        finally
        {
            foreach (OvsdbClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AddPortAsync_ManyClientsDifferentPorts_KeepsEveryPort()
    {
        await using OvsdbClient setup = await server.ConnectAsync();
        await new OpenVSwitchDb(setup).EnsureBridgeAsync(new OvsBridgeSpec("pbmany"));
        OvsdbClient[] clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.ConnectAsync()));
        try
        {
            await Task.WhenAll(clients.Select((c, i) => new OpenVSwitchDb(c).AddPortAsync("pbmany", $"pbmany-{i}", "internal")));

            Assert.Equal(
                Enumerable.Range(0, 6).Select(i => $"pbmany-{i}"),
                (await server.VsctlAsync("list-ports", "pbmany")).Split('\n'));
        }
        finally
        {
            foreach (OvsdbClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AddPortAsync_InternalPortWithExternalIds_VisibleToOvsVsctlAndGetInterface()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbadd") { DatapathType = "netdev" });
        var ids = new Dictionary<string, string> { ["patchbay-endpoint"] = "ep-1", ["iface-id"] = "c1" };

        Guid port = await db.AddPortAsync("pbadd", "pbadd-c1", "internal", ids, ofportRequest: 17);
        Guid again = await db.AddPortAsync("pbadd", "pbadd-c1", "internal", ids, ofportRequest: 17);

        Assert.Equal(port, again);
        Assert.Equal("pbadd-c1", await server.VsctlAsync("list-ports", "pbadd"));
        Assert.Equal(
            "internal\n{iface-id=c1, patchbay-endpoint=ep-1}\n17",
            await server.VsctlAsync("get", "Interface", "pbadd-c1", "type", "external_ids", "ofport_request"));
        OvsInterface? iface = await db.GetInterfaceAsync("pbadd-c1");
        Assert.NotNull(iface);
        Assert.Equal(("internal", 17L, "ep-1"), (iface.Type, iface.OfPortRequest, iface.ExternalIds["patchbay-endpoint"]));
        Assert.Null(iface.OfPort);
        IReadOnlyList<OvsPort> ports = await db.ListPortsAsync("pbadd");
        Assert.Equal(["pbadd", "pbadd-c1"], ports.Select(p => p.Name));
        Assert.Equal(["pbadd-c1"], ports.Single(p => p.Uuid == port).Interfaces);
    }

    [Fact]
    public async Task AddPortAsync_ExistingPortWithNewIds_MergesExternalIds()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbmrg"));
        await db.AddPortAsync("pbmrg", "pbmrg-p", "internal", new Dictionary<string, string> { ["a"] = "1", ["b"] = "1" });

        await db.AddPortAsync("pbmrg", "pbmrg-p", "internal", new Dictionary<string, string> { ["b"] = "2" });

        Assert.Equal("{a=\"1\", b=\"2\"}", await server.VsctlAsync("get", "Interface", "pbmrg-p", "external_ids"));
    }

    [Fact]
    public async Task RemovePortAsync_ExistingPort_RemovesPortAndInterface()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbrm"));
        await db.AddPortAsync("pbrm", "pbrm-p", "internal");

        bool removed = await db.RemovePortAsync("pbrm", "pbrm-p");
        bool removedAgain = await db.RemovePortAsync("pbrm", "pbrm-p");

        Assert.True(removed);
        Assert.False(removedAgain);
        Assert.Equal(string.Empty, await server.VsctlAsync("list-ports", "pbrm"));
        Assert.Null(await db.GetInterfaceAsync("pbrm-p"));
    }

    [Fact]
    public async Task MonitorAsync_PortAddedByOvsVsctl_ReportsInsert()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        await new OpenVSwitchDb(client).EnsureBridgeAsync(new OvsBridgeSpec("pbmon"));
        await using OvsdbMonitor monitor = await client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("Port", ["name", "interfaces"])]);
        Assert.Contains(monitor.Initial, u => u.New!.GetString("name") == "pbmon");

        await server.VsctlAsync("add-port", "pbmon", "pbmon-v1", "--", "set", "Interface", "pbmon-v1", "type=internal");

        OvsdbRowUpdate update = await NextAsync(monitor, u => u.New?.GetString("name") == "pbmon-v1");
        Assert.Equal((OvsdbRowChange.Insert, "Port"), (update.Change, update.Table));
        Assert.Single(update.New!.GetUuidSet("interfaces"));
    }

    [Fact]
    public async Task MonitorCondAsync_WhereName_ReportsOnlyThatRowWithDiffsApplied()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        var db = new OpenVSwitchDb(client);
        await db.EnsureBridgeAsync(new OvsBridgeSpec("pbcnd"));
        await db.AddPortAsync("pbcnd", "pbcnd-a", "internal", new Dictionary<string, string> { ["k"] = "1" });
        await using OvsdbMonitor monitor = await client.MonitorCondAsync(
            "Open_vSwitch",
            [new OvsdbMonitorRequest("Interface", ["name", "external_ids"], [OvsdbCondition.NameIs("pbcnd-a")])]);
        Assert.Equal(["pbcnd-a"], monitor.Initial.Select(u => u.New!.GetString("name")));

        await db.AddPortAsync("pbcnd", "pbcnd-b", "internal");
        await server.VsctlAsync("set", "Interface", "pbcnd-a", "external_ids:k=2", "external_ids:n=3");

        OvsdbRowUpdate update = await NextAsync(monitor, _ => true);
        Assert.Equal(OvsdbRowChange.Modify, update.Change);
        Assert.Equal("pbcnd-a", update.New!.GetString("name"));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "2", ["n"] = "3" }, update.New.GetStringMap("external_ids"));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "1" }, update.Old!.GetStringMap("external_ids"));
    }

    [Fact]
    public async Task MonitorCancelAsync_OpenMonitor_CompletesUpdates()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        OvsdbMonitor monitor = await client.MonitorAsync("Open_vSwitch", [new OvsdbMonitorRequest("Bridge", ["name"])]);

        await monitor.CancelAsync();

        await monitor.Updates.Completion.WaitAsync(UpdateTimeout);
    }

    [Fact]
    public async Task TransactAsync_DuplicateBridgeName_ThrowsConstraintViolationAtCommit()
    {
        await using OvsdbClient client = await server.ConnectAsync();
        await new OpenVSwitchDb(client).EnsureBridgeAsync(new OvsBridgeSpec("pbdup"));

        OvsdbOperation[] ops =
        [
            new InsertOperation("Bridge", new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String("pbdup") }, "dup"),
            new MutateOperation("Open_vSwitch", [], [OvsdbMutation.Insert("bridges", OvsdbValue.Set(OvsdbValue.NamedUuid("dup")))]),
        ];
        var ex = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync("Open_vSwitch", ops));

        Assert.Equal((OvsdbErrorKind.Operation, "constraint violation", 2), (ex.Kind, ex.Error, ex.OperationIndex));
        Assert.Contains("pbdup", ex.Details, StringComparison.Ordinal);
        Assert.Equal("1", (await server.VsctlAsync("--columns=name", "--bare", "find", "Bridge", "name=pbdup")).Split('\n').Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TransactAsync_DanglingStrongReference_ThrowsReferentialIntegrityViolation()
    {
        await using OvsdbClient client = await server.ConnectAsync();

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync(
            "Open_vSwitch",
            new InsertOperation("Port", new Dictionary<string, OvsdbValue>
            {
                ["name"] = OvsdbValue.String("pbdangling"),
                ["interfaces"] = OvsdbValue.Set(OvsdbValue.Uuid(Guid.NewGuid())),
            })));

        Assert.Equal((OvsdbErrorKind.Operation, "referential integrity violation"), (ex.Kind, ex.Error));
        Assert.NotNull(ex.Details);
    }

    [Fact]
    public async Task TransactAsync_UnknownDatabase_ThrowsRpcOrOperationErrorNamingIt()
    {
        await using OvsdbClient client = await server.ConnectAsync();

        var ex = await Assert.ThrowsAsync<OvsdbException>(() => client.TransactAsync("NoSuchDb", new CommentOperation("x")));

        Assert.Equal("unknown database", ex.Error);
    }

    private static async Task<OvsdbRowUpdate> NextAsync(OvsdbMonitor monitor, Func<OvsdbRowUpdate, bool> match)
    {
        using var timeout = new CancellationTokenSource(UpdateTimeout);
        await foreach (OvsdbRowUpdate update in monitor.Updates.ReadAllAsync(timeout.Token))
        {
            if (match(update))
            {
                return update;
            }
        }

        throw new InvalidOperationException("the monitor completed without the expected update");
    }
}
