// The informer: one OVSDB monitor on the Interface table feeding the endpoint cache, first with the rows present at
// start (so an agent restart re-reports every endpoint already plugged), then with every change.
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.Agent.Informer;

public sealed class InterfaceInformer
{
    public static readonly IReadOnlyList<string> Columns = ["name", "ofport", "external_ids", "link_state"];

    private readonly OvsdbClient _client;
    private readonly EndpointPortCache _cache;

    public InterfaceInformer(OvsdbClient client, EndpointPortCache cache)
    {
        _client = client;
        _cache = cache;
    }

    /// <summary>Starts the monitor and loads its initial rows into the cache.</summary>
    public async Task<OvsdbMonitor> StartAsync(CancellationToken cancellationToken)
    {
        OvsdbMonitor monitor = await _client.MonitorAsync(OpenVSwitchDb.DatabaseName, [new OvsdbMonitorRequest("Interface", Columns)], cancellationToken);
        foreach (OvsdbRowUpdate row in monitor.Initial)
        {
            _cache.Apply(row);
        }

        return monitor;
    }

    /// <summary>Feeds the monitor's changes into the cache until it ends (cancellation or a closed connection).</summary>
    public static async Task RunAsync(OvsdbMonitor monitor, EndpointPortCache cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(cache);
        await foreach (OvsdbRowUpdate update in monitor.Updates.ReadAllAsync(cancellationToken))
        {
            cache.Apply(update);
        }
    }
}
