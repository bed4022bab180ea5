// Runs the OpenFlow listener for the lifetime of the host: bound at start, every session closed at stop.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Switching;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Controller.Hosting;

public sealed class OpenFlowService(ControllerOptions options, SwitchManager switches, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private OpenFlowListener? _listener;

    /// <summary>The endpoints as bound (a tcp port 0 replaced by the real one); empty before start.</summary>
    public IReadOnlyList<OpenFlowEndpoint> Endpoints => _listener?.Endpoints ?? [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.OpenFlow.Count > 0)
        {
            _listener = new OpenFlowListener(options.OpenFlow, switches, options.Sessions, loggerFactory);
            _listener.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _listener, null) is OpenFlowListener listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
