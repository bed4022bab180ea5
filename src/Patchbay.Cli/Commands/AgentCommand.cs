// `patchbay agent`: one per host. Owns the host's bridge through OVSDB, registers the host with the controller,
// reports endpoint ports, and serves plug/unplug on a unix socket, in the foreground until SIGTERM or SIGINT.
using System.CommandLine;
using System.Globalization;
using Patchbay.Agent;

namespace Patchbay.Cli.Commands;

internal static class AgentCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The host's name at the controller (h1, ...)", Required = true };
        var ovsdb = new Option<string>("--ovsdb") { Description = "The local ovsdb-server: unix:PATH or tcp:HOST:PORT", Required = true };
        var controllerApi = new Option<string>("--controller-api") { Description = "The controller's REST API: unix:PATH or http://HOST:PORT", Required = true };
        var openFlowTargets = new Option<string[]>("--openflow-target")
        {
            Description = "The bridge's OpenFlow controller target in OVS syntax, e.g. unix:PATH (repeatable)",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var uplink = new Option<string>("--uplink") { Description = "The interface into the underlay", Required = true };
        var underlayIp = new Option<string>("--underlay-ip") { Description = "The host's underlay address, e.g. 198.18.0.1", Required = true };
        var segment = new Option<string>("--segment") { Description = "The L2 segment the uplink is on", Required = true };
        var socket = new Option<string>("--socket") { Description = "The unix socket of the agent's local API", Required = true };
        var datapathType = new Option<string>("--datapath-type") { Description = "netdev (userspace) or system (kernel)", DefaultValueFactory = _ => "netdev" };
        datapathType.AcceptOnlyFromAmong("netdev", "system");
        var datapathId = new Option<string?>("--datapath-id") { Description = "16 hex digits; derived from the name when absent" };
        datapathId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string id && (id.Length != 16 || !ulong.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
            {
                result.AddError($"--datapath-id must be 16 hex digits, got '{id}'");
            }
        });
        var bridge = new Option<string>("--bridge") { Description = "The bridge the agent owns", DefaultValueFactory = _ => "pb0" };
        var dockerSocket = new Option<string?>("--docker-socket") { Description = "Serve the Docker network and IPAM plugin 'patchbay' on this unix socket, e.g. /run/docker/plugins/patchbay.sock" };

        var command = new Command("agent", "Run the Patchbay host agent: bridge, host registration and the plug/unplug API, until SIGTERM/SIGINT.")
        {
            name,
            ovsdb,
            controllerApi,
            openFlowTargets,
            uplink,
            underlayIp,
            segment,
            socket,
            datapathType,
            datapathId,
            bridge,
            dockerSocket,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new AgentOptions
            {
                Name = parseResult.GetRequiredValue(name),
                Ovsdb = parseResult.GetRequiredValue(ovsdb),
                ControllerApi = parseResult.GetRequiredValue(controllerApi),
                OpenFlowTargets = parseResult.GetRequiredValue(openFlowTargets),
                Uplink = parseResult.GetRequiredValue(uplink),
                UnderlayIp = parseResult.GetRequiredValue(underlayIp),
                Segment = parseResult.GetRequiredValue(segment),
                SocketPath = parseResult.GetRequiredValue(socket),
                DatapathType = parseResult.GetRequiredValue(datapathType),
                DatapathId = parseResult.GetValue(datapathId),
                Bridge = parseResult.GetRequiredValue(bridge),
                DockerSocketPath = parseResult.GetValue(dockerSocket),
            };
            await AgentApplication.RunAsync(options, cancellationToken: cancellationToken);
            return 0;
        });
        return command;
    }
}
