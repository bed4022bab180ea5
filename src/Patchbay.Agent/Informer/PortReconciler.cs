// The reconciler: takes endpoint names off the work queue and makes the controller's idea of each endpoint's
// OpenFlow port match the cache, with one PUT per change. A failed report is retried; an endpoint the controller
// does not know is left alone until it changes again.
using System.Net;
using Microsoft.Extensions.Logging;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Informer;

public sealed class PortReconciler
{
    private readonly EndpointPortCache _cache;
    private readonly WorkQueue _queue;
    private readonly PatchbayApiClient _api;
    private readonly ILogger _logger;
    private readonly TimeSpan _retryDelay;
    private readonly Dictionary<string, uint> _reported = new(StringComparer.Ordinal);

    // Counts ResyncAll calls (under the _reported lock): a report that was in flight across one must not mark its
    // port reported, or the resync's queued reconcile would find it "already reported" and the restarted controller
    // would never hear of it.
    private long _resyncs;

    public PortReconciler(EndpointPortCache cache, WorkQueue queue, PatchbayApiClient api, ILogger logger, TimeSpan? retryDelay = null)
    {
        _cache = cache;
        _queue = queue;
        _api = api;
        _logger = logger;
        _retryDelay = retryDelay ?? TimeSpan.FromSeconds(1);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string endpoint = await _queue.TakeAsync(cancellationToken);
            await ReconcileAsync(endpoint, cancellationToken);
        }
    }

    /// <summary>Records a port reported by someone else (the plug itself), so the reconciler does not report it again.</summary>
    public void MarkReported(string endpoint, uint port)
    {
        lock (_reported)
        {
            _reported[endpoint] = port;
        }
    }

    /// <summary>Forgets what was reported and queues every cached endpoint: the controller may have lost it all (restart).</summary>
    public void ResyncAll()
    {
        lock (_reported)
        {
            _reported.Clear();
            _resyncs++;
        }

        foreach (PluggedPort port in _cache.Snapshot())
        {
            _queue.Add(port.Endpoint);
        }
    }

    internal async Task ReconcileAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (_cache.Find(endpoint) is not { OfPort: > 0 and <= uint.MaxValue } found)
        {
            lock (_reported)
            {
                _reported.Remove(endpoint);
            }

            return;
        }

        uint port = (uint)found.OfPort.Value;
        long resyncs;
        lock (_reported)
        {
            if (_reported.TryGetValue(endpoint, out uint known) && known == port)
            {
                return;
            }

            resyncs = _resyncs;
        }

        try
        {
            await _api.SetEndpointPortAsync(endpoint, port, cancellationToken);
            lock (_reported)
            {
                if (_resyncs == resyncs)
                {
                    _reported[endpoint] = port;
                }
            }

            AgentLog.PortReported(_logger, endpoint, port);
        }
        catch (PatchbayApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            AgentLog.PortOfUnknownEndpoint(_logger, endpoint, port);
        }
        catch (Exception e) when (e is PatchbayApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            AgentLog.PortReportFailed(_logger, e, endpoint, port);
            _queue.AddAfter(endpoint, _retryDelay, cancellationToken);
        }
    }
}
