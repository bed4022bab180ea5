// An OvsLab whose bridge pb0 is created through OUR OVSDB client and controlled by OUR OpenFlow listener:
// the arrangement every end-to-end test starts from. Container ports are plugged through our client too.
using System.Globalization;
using Patchbay.Cli.Lab;
using Patchbay.OpenFlow.Connection;
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.EndToEnd.Tests.Infrastructure;

/// <summary>A container plugged into pb0 with the OpenFlow port number OVS gave it.</summary>
internal sealed record PluggedContainer(LabContainer Container, uint OfPort);

internal sealed class BridgeLab : IAsyncDisposable
{
    public const string Bridge = "pb0";

    private BridgeLab(OvsLab lab, LabController controller, OvsdbClient ovsdb)
    {
        Host = lab;
        Controller = controller;
        Ovsdb = ovsdb;
        Db = new OpenVSwitchDb(ovsdb);
    }

    /// <summary>The emulated host: switch namespace, OVS daemons, container namespaces.</summary>
    public OvsLab Host { get; }

    public LabController Controller { get; }

    public OvsdbClient Ovsdb { get; }

    public OpenVSwitchDb Db { get; }

    /// <summary>Starts OVS in a fresh namespace, our listener on a unix socket, and connects our OVSDB client.</summary>
    public static async Task<BridgeLab> StartAsync(CancellationToken cancellationToken)
    {
        var lab = await OvsLab.StartAsync(cancellationToken);
        LabController? controller = null;
        try
        {
            controller = LabController.Start(lab.ControllerSocketPath);
            var ovsdb = await OvsdbClient.ConnectAsync(OvsdbEndpoint.Unix(lab.Ovs.DbSocketPath), cancellationToken: cancellationToken);
            return new BridgeLab(lab, controller, ovsdb);
        }
        catch
        {
            if (controller is not null)
            {
                await controller.DisposeAsync();
            }

            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The spec the tests give EnsureBridgeAsync: userspace datapath, secure, OpenFlow 1.3 only.</summary>
    public static OvsBridgeSpec Spec(ulong datapathId, string controllerTarget) => new(Bridge)
    {
        DatapathType = "netdev",
        FailMode = "secure",
        Protocols = ["OpenFlow13"],
        DatapathId = datapathId.ToString("x16", CultureInfo.InvariantCulture),
        Controllers = [controllerTarget],
    };

    /// <summary>Creates pb0 pointed at our listener (or another target) and waits for the switch to complete the handshake.</summary>
    public async Task<SwitchSession> ConnectBridgeAsync(ulong datapathId, CancellationToken cancellationToken, string? controllerTarget = null)
    {
        await Db.EnsureBridgeAsync(Spec(datapathId, controllerTarget ?? Controller.Target), cancellationToken);
        var session = await WaitForSwitchAsync(cancellationToken);
        return session.DatapathId == datapathId
            ? session
            : throw new InvalidOperationException($"the switch connected with datapath {session.DatapathId:x16}, not the configured {datapathId:x16}");
    }

    /// <summary>Waits for the first switch to complete the handshake; on timeout the error carries ovs-vswitchd's log.</summary>
    public async Task<SwitchSession> WaitForSwitchAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Controller.WaitForSwitchAsync(cancellationToken);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"pb0 never completed the handshake with our listener. ovs-vswitchd log:{Environment.NewLine}{Host.Ovs.ReadVswitchdLogTail()}", e);
        }
    }

    /// <summary>Creates a container namespace and adds its veth to pb0 through our OVSDB client, then waits for its ofport.</summary>
    public async Task<PluggedContainer> PlugAsync(string name, string address, int ofportRequest, CancellationToken cancellationToken)
    {
        var container = await Host.AddContainerAsync(name, address, cancellationToken);
        await Db.AddPortAsync(Bridge, container.SwitchPort, ofportRequest: ofportRequest, cancellationToken: cancellationToken);
        return new PluggedContainer(container, await WaitForOfPortAsync(container.SwitchPort, cancellationToken));
    }

    /// <summary>Polls our client's GetInterfaceAsync until ovs-vswitchd has attached the interface (ofport assigned).</summary>
    public async Task<uint> WaitForOfPortAsync(string interfaceName, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = await Db.GetInterfaceAsync(interfaceName, cancellationToken);
            if (row?.OfPort is > 0 and var ofport)
            {
                return (uint)ofport;
            }

            if (row?.Error is { Length: > 0 } error)
            {
                throw new InvalidOperationException($"OVS could not attach {interfaceName}: {error}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The flow table as ovs-ofctl shows it, one trimmed line per flow, without counters or port names.</summary>
    public async Task<IReadOnlyList<string>> DumpFlowsAsync(CancellationToken cancellationToken)
    {
        var result = await Host.Ovs.OfctlAsync(["-O", "OpenFlow13", "--no-names", "--no-stats", "dump-flows", Bridge], cancellationToken);
        return
        [
            .. result.StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !line.StartsWith("OFPST_FLOW", StringComparison.Ordinal)),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        // The lab (namespaces, daemons) goes away whatever the client or the listener throw on the way out.
        try
        {
            try
            {
                await Ovsdb.DisposeAsync();
            }
            finally
            {
                await Controller.DisposeAsync();
            }
        }
        finally
        {
            await Host.DisposeAsync();
        }
    }
}
