// `patchbay demo`: the foundation working against real OVS, step by step and narrated. Our OVSDB client
// builds the bridge, our OpenFlow listener takes the switch, our FLOW_MOD encoder makes two container
// namespaces reach each other, and everything is torn down again, also on Ctrl-C or an error.
using System.Globalization;
using Microsoft.Extensions.Logging;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.Cli.Lab;

internal sealed class FoundationDemo(TextWriter output, ILoggerFactory loggerFactory)
{
    /// <summary>Every namespace, interface and directory of the demo starts with this.</summary>
    public const string Prefix = "pbdemo";

    private const string Bridge = "pb0";
    private const ulong DatapathId = 0x0000_5042_0000_0001;
    private const ulong ForwardingCookie = 0x5042_0000_0000_0001;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            await output.WriteLineAsync("patchbay demo needs root (network namespaces, OVS daemons): run `make demo` as root.");
            return 1;
        }

        var leftovers = await LabNames.CleanUpAsync(Prefix, cancellationToken);
        if (leftovers.Count > 0)
        {
            await output.WriteLineAsync($"Removed leftovers of an earlier demo: {string.Join(", ", leftovers)}");
        }

        try
        {
            await ShowAsync(cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync("Demo complete. What to look at next:");
            await output.WriteLineAsync("  make test                                   every test project, including the real-OVS end-to-end tests");
            await output.WriteLineAsync("  tests/Patchbay.EndToEnd.Tests/              the same steps as assertions (handshake, dump-flows, ping, PORT_STATUS, tshark)");
            await output.WriteLineAsync("  docs/architecture.md, docs/testing.md       how the pieces fit and how they are tested");
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync("Interrupted.");
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await output.WriteLineAsync($"Demo failed: {e.Message}");
            await output.WriteLineAsync($"OVS logs are kept until the teardown below; rerun with the same command to retry.");
            return 1;
        }
        finally
        {
            await output.WriteLineAsync($"Tearing down: namespaces {Prefix}-*, their OVS daemons, {LabNames.Directory(Prefix)}");
            await LabNames.CleanUpAsync(Prefix, CancellationToken.None);
        }
    }

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        await StepAsync("1. Switch namespace with its own ovsdb-server and ovs-vswitchd (userspace datapath)");
        var switchNetns = await Netns.CreateAsync($"{Prefix}-sw", cancellationToken);
        await using var ovs = await OvsInstance.StartAsync(switchNetns, LabNames.Directory(Prefix), cancellationToken);
        await output.WriteLineAsync($"   namespace {switchNetns.Name}, OVSDB at {ovs.OvsdbTarget}, logs in {ovs.LogDirectory}");

        await StepAsync("2. Our OpenFlow 1.3 listener on a unix socket");
        // ovs-vswitchd only connects to unix sockets inside its own run directory.
        await using var controller = LabController.Start(Path.Combine(ovs.RunDirectory, "controller.sock"), loggerFactory);
        await output.WriteLineAsync($"   listening on {controller.Target}");

        await StepAsync("3. Two container namespaces wired to the switch namespace by veth pairs (TX checksum offload off)");
        var c1 = await AddContainerAsync("c1", "10.0.0.1", switchNetns, cancellationToken);
        var c2 = await AddContainerAsync("c2", "10.0.0.2", switchNetns, cancellationToken);

        await StepAsync("4. Bridge pb0 created through our OVSDB client (netdev, fail_mode=secure, OpenFlow13, controller = our listener)");
        await using var ovsdb = await OvsdbClient.ConnectAsync(OvsdbEndpoint.Unix(ovs.DbSocketPath), cancellationToken: cancellationToken);
        var db = new OpenVSwitchDb(ovsdb);
        await db.EnsureBridgeAsync(
            new OvsBridgeSpec(Bridge)
            {
                DatapathType = "netdev",
                FailMode = "secure",
                Protocols = ["OpenFlow13"],
                DatapathId = DatapathId.ToString("x16", CultureInfo.InvariantCulture),
                Controllers = [controller.Target],
            },
            cancellationToken);
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(StepTimeout);
        var session = await controller.WaitForSwitchAsync(DatapathId, handshakeTimeout.Token);
        await output.WriteLineAsync($"   handshake complete: datapath {session.DatapathId:x16}, {session.Features?.NTables} tables, peer {session.RemoteAddress}");

        await StepAsync("5. The containers' veths added as ports through our OVSDB client");
        var port1 = await AddPortAsync(db, c1, 1, cancellationToken);
        var port2 = await AddPortAsync(db, c2, 2, cancellationToken);

        await StepAsync("6. Ping c1 -> c2 with no flows: fail-secure drops everything");
        await PingAsync(c1, "10.0.0.2", expectSuccess: false, cancellationToken);

        await StepAsync($"7. Forwarding flows sent with our FLOW_MOD encoder (cookie 0x{ForwardingCookie:x}), confirmed by a barrier");
        await session.SendAsync(Forward(port1, port2), cancellationToken);
        await session.SendAsync(Forward(port2, port1), cancellationToken);
        await session.BarrierAsync(cancellationToken);
        await PingAsync(c1, "10.0.0.2", expectSuccess: true, cancellationToken);
        await DumpFlowsAsync(ovs, cancellationToken);

        await StepAsync("8. Flows deleted by cookie: the path is gone again");
        await session.SendAsync(
            new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Cookie = ForwardingCookie, CookieMask = ulong.MaxValue },
            cancellationToken);
        await session.BarrierAsync(cancellationToken);
        await DumpFlowsAsync(ovs, cancellationToken);
        await PingAsync(c1, "10.0.0.2", expectSuccess: false, cancellationToken);
    }

    private async Task<Netns> AddContainerAsync(string name, string ip, Netns switchNetns, CancellationToken cancellationToken)
    {
        var netns = await Netns.CreateAsync($"{Prefix}-{name}", cancellationToken);
        await Veth.CreateAsync("eth0", netns, $"{Prefix}-{name}", switchNetns, cancellationToken);
        await Veth.AddAddressAsync(netns, "eth0", ip + "/24", cancellationToken);
        await output.WriteLineAsync($"   {netns.Name}: eth0 {ip}/24 <-> {Prefix}-{name} in {switchNetns.Name}");
        return netns;
    }

    private async Task<uint> AddPortAsync(OpenVSwitchDb db, Netns container, int ofportRequest, CancellationToken cancellationToken)
    {
        var name = container.Name;
        await db.AddPortAsync(Bridge, name, ofportRequest: ofportRequest, cancellationToken: cancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < StepTimeout)
        {
            var row = await db.GetInterfaceAsync(name, cancellationToken);
            if (row?.OfPort is > 0 and var ofport)
            {
                await output.WriteLineAsync($"   {name}: ofport {ofport}, mac {row.MacInUse}, link {row.LinkState}");
                return (uint)ofport;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"ovs-vswitchd did not attach {name} within {StepTimeout.TotalSeconds} s");
    }

    private static FlowMod Forward(uint from, uint to) => new()
    {
        Cookie = ForwardingCookie,
        Priority = 100,
        Match = new OfpMatch([Oxm.InPort(from)]),
        Instructions = [new ApplyActionsInstruction([new OutputAction(to, 0)])],
    };

    private async Task PingAsync(Netns from, string address, bool expectSuccess, CancellationToken cancellationToken)
    {
        var result = await from.TryExecAsync(["ping", "-c", "3", "-i", "0.2", "-W", "1", address], cancellationToken: cancellationToken);
        var summary = result.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("packets transmitted", StringComparison.Ordinal))?.Trim() ?? result.StandardError.Trim();
        await output.WriteLineAsync($"   $ ip netns exec {from.Name} ping -c 3 {address}");
        await output.WriteLineAsync($"   {summary}");
        if (result.Succeeded != expectSuccess)
        {
            throw new InvalidOperationException(expectSuccess
                ? "ping failed although our forwarding flows are installed"
                : "ping succeeded although no forwarding flow is installed");
        }

        await output.WriteLineAsync(expectSuccess ? "   -> reachable, as expected" : "   -> unreachable, as expected");
    }

    private async Task DumpFlowsAsync(OvsInstance ovs, CancellationToken cancellationToken)
    {
        var result = await ovs.OfctlAsync(["-O", "OpenFlow13", "dump-flows", Bridge], cancellationToken);
        await output.WriteLineAsync($"   $ ovs-ofctl -O OpenFlow13 dump-flows {Bridge}");
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync("   " + line);
        }
    }

    private async Task StepAsync(string title)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(title);
    }
}
