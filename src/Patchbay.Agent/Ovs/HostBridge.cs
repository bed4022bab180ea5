// The agent's bridge through OVSDB: pb0 with its settings and controller targets, the uplink port, and the wait for
// the OpenFlow port numbers ovs-vswitchd assigns after the fact.
using Patchbay.Agent.HostOs;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.Agent.Ovs;

/// <summary>The uplink as the controller needs it: its OpenFlow port and MAC.</summary>
public sealed record UplinkFacts(uint OfPort, string Mac);

public sealed class HostBridge
{
    public const string RoleKey = "patchbay-role";
    public const string UplinkRole = "uplink";
    public const string EndpointKey = "patchbay-endpoint";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly OpenVSwitchDb _db;
    private readonly AgentOptions _options;

    public HostBridge(OpenVSwitchDb db, AgentOptions options)
    {
        _db = db;
        _options = options;
    }

    public OpenVSwitchDb Db => _db;

    /// <summary>Ensures the bridge and the uplink, turns off the uplink's TX offload, and reads its port and MAC.</summary>
    public async Task<UplinkFacts> SetUpAsync(CancellationToken cancellationToken)
    {
        await _db.EnsureBridgeAsync(
            new OvsBridgeSpec(_options.Bridge)
            {
                DatapathType = _options.DatapathType,
                FailMode = "secure",
                Protocols = ["OpenFlow13"],
                DatapathId = _options.EffectiveDatapathId,
                Controllers = _options.OpenFlowTargets,
            },
            cancellationToken);
        await _db.AddPortAsync(_options.Bridge, _options.Uplink, externalIds: new Dictionary<string, string> { [RoleKey] = UplinkRole }, cancellationToken: cancellationToken);
        await HostNetwork.DisableTxOffloadAsync(_options.Uplink, cancellationToken);
        OvsInterface uplink = await WaitForOfPortAsync(_options.Uplink, cancellationToken);
        string mac = uplink.MacInUse ?? throw new InvalidOperationException($"OVS reports no MAC for uplink {_options.Uplink}");
        return new UplinkFacts((uint)uplink.OfPort!.Value, mac);
    }

    /// <summary>Adds the endpoint's host-side veth to the bridge, named in external_ids, and returns its OpenFlow port.</summary>
    public async Task<uint> AttachEndpointAsync(string endpoint, string hostInterface, CancellationToken cancellationToken)
    {
        await _db.AddPortAsync(_options.Bridge, hostInterface, externalIds: new Dictionary<string, string> { [EndpointKey] = endpoint }, cancellationToken: cancellationToken);
        return (uint)(await WaitForOfPortAsync(hostInterface, cancellationToken)).OfPort!.Value;
    }

    public Task<bool> DetachAsync(string hostInterface, CancellationToken cancellationToken) =>
        _db.RemovePortAsync(_options.Bridge, hostInterface, cancellationToken);

    /// <summary>Polls the Interface row until ovs-vswitchd gives it an OpenFlow port; throws on its error or after the timeout.</summary>
    public async Task<OvsInterface> WaitForOfPortAsync(string name, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.OfPortTimeout);
        OvsInterface? last = null;
        try
        {
            while (true)
            {
                last = await _db.GetInterfaceAsync(name, deadline.Token);
                if (last is { OfPort: > 0 })
                {
                    return last;
                }

                if (last is { OfPort: -1 })
                {
                    throw new InvalidOperationException($"ovs-vswitchd could not attach interface {name}: {last.Error ?? "no error given"}");
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"interface {name} got no OpenFlow port within {_options.OfPortTimeout.TotalSeconds:0.#} s "
                + (last is null ? "(it is not in the database)" : $"(ofport {last.OfPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}, error: {last.Error ?? "none"}); is ovs-vswitchd running?"));
        }
    }
}
