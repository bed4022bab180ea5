// monitor (RFC 7047 section 4.1.5), monitor_cond (ovsdb-server(7)) and monitor_cancel, and the routing of
// update/update2 notifications to their monitor.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.Schema;

namespace Patchbay.Ovsdb;

public sealed partial class OvsdbClient
{
    private readonly ConcurrentDictionary<string, OvsdbMonitor> _monitors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OvsdbSchema> _schemas = new(StringComparer.Ordinal);
    private long _lastMonitorId;

    /// <summary>Starts a monitor whose updates carry whole old and new rows ("update" notifications).</summary>
    public Task<OvsdbMonitor> MonitorAsync(string database, IReadOnlyList<OvsdbMonitorRequest> requests, CancellationToken cancellationToken = default)
    {
        if (requests.Any(r => r.Where is not null))
        {
            throw new ArgumentException("monitor takes no where-conditions; use MonitorCondAsync", nameof(requests));
        }

        return StartMonitorAsync("monitor", database, requests, schema: null, cancellationToken);
    }

    /// <summary>
    /// Starts a monitor_cond: the server reports only rows matching each request's where-conditions, as update2
    /// diffs, which the monitor applies (it reads the schema once per database to know which columns are sets or maps).
    /// </summary>
    public async Task<OvsdbMonitor> MonitorCondAsync(string database, IReadOnlyList<OvsdbMonitorRequest> requests, CancellationToken cancellationToken = default)
    {
        if (!_schemas.TryGetValue(database, out OvsdbSchema? schema))
        {
            schema = await GetSchemaAsync(database, cancellationToken).ConfigureAwait(false);
            _schemas.TryAdd(database, schema);
        }

        return await StartMonitorAsync("monitor_cond", database, requests, schema, cancellationToken).ConfigureAwait(false);
    }

    public async Task MonitorCancelAsync(OvsdbMonitor monitor, CancellationToken cancellationToken = default)
    {
        await CallAsync("monitor_cancel", [monitor.Id.DeepClone()], cancellationToken).ConfigureAwait(false);
        _monitors.TryRemove(monitor.Key, out _);
        monitor.Complete(null);
    }

    private async Task<OvsdbMonitor> StartMonitorAsync(string method, string database, IReadOnlyList<OvsdbMonitorRequest> requests, OvsdbSchema? schema, CancellationToken cancellationToken)
    {
        JsonNode id = JsonValue.Create("pb-monitor-" + Interlocked.Increment(ref _lastMonitorId).ToString(CultureInfo.InvariantCulture));
        var monitor = new OvsdbMonitor(this, database, id, schema);
        var perTable = new JsonObject();
        foreach (IGrouping<string, OvsdbMonitorRequest> table in requests.GroupBy(r => r.Table, StringComparer.Ordinal))
        {
            perTable[table.Key] = new JsonArray([.. table.Select(r => (JsonNode)r.ToJson())]);
        }

        // Registered before the request goes out: the first update may follow the reply immediately.
        _monitors[monitor.Key] = monitor;
        try
        {
            await CallAsync(method, [database, id.DeepClone(), perTable], monitor.ApplyInitial, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _monitors.TryRemove(monitor.Key, out _);
            monitor.Complete(null);
            throw;
        }

        return monitor;
    }

    private void DispatchUpdate(JsonNode? monitorId, JsonNode? updates)
    {
        string key = monitorId?.ToJsonString() ?? "null";
        if (_monitors.TryGetValue(key, out OvsdbMonitor? monitor))
        {
            monitor.ApplyUpdate(updates);
        }
        else
        {
            Log.UnknownMonitor(_logger, key);
        }
    }

    private void CloseMonitors(Exception error)
    {
        foreach (string key in _monitors.Keys)
        {
            if (_monitors.TryRemove(key, out OvsdbMonitor? monitor))
            {
                monitor.Complete(error);
            }
        }
    }
}
