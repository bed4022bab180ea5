// Loads the controller's state from the store when the controller starts. Registered before the OpenFlow
// service and the API server, so that switches and clients meet a loaded model; a store that cannot be
// read fails the start.
using Microsoft.Extensions.Hosting;
using Patchbay.Store;

namespace Patchbay.Controller.State;

internal sealed class ControllerStateLoader(StoreControllerState state, IStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => state.LoadAsync(store, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
