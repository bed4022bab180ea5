// A write cancelled because the controller is stopping answers a 503 problem, not a 500: the endpoint port PUT
// of the controllers benchmark's setup (bench/Patchbay.LoadGen PatchbaySetup) got 500 with an
// OperationCanceledException from SwitchManager.EndpointPortChangedAsync when the controller stopped under it.
// Reproduced deterministically: the switch holds its barrier reply, so the PUT is waiting on it when the
// controller's stopping token fires.
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Patchbay.Controller.Tests.Switching;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Controller.Tests.Api;

public sealed class ApiStoppingTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() => _controller = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task PutEndpointPort_ControllerStopsWhileFlowsAreSent_ServiceUnavailableProblem()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1);
        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        long mark = h1.Messages[^1].Sequence;
        h1.HoldBarrierReplies();

        Task<HttpResponseMessage> put = _controller.SendJsonAsync(HttpMethod.Put, "/v1/endpoints/a/port", """{"ovsPort": 2}""");
        await h1.WaitForAsync(r => r.Sequence > mark && r.Message is BarrierRequest);
        _controller.App.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        await ApiAssert.ProblemAsync(await put, HttpStatusCode.ServiceUnavailable, "the controller is stopping");
    }
}
