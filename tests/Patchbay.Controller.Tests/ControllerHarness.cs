// The real controller (ControllerApplication) in process: REST on a test server, OpenFlow on a unix socket
// in a temp directory, short session timeouts and no keepalives. Helpers drive the REST API as an agent
// would and connect simulated switches.
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.Controller.State;
using Patchbay.Controller.Tests.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Controller.Tests;

internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<SimulatedSwitch> _switches = [];

    private ControllerHarness(WebApplication app, string directory, OpenFlowEndpoint openFlow)
    {
        App = app;
        _directory = directory;
        OpenFlow = openFlow;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public OpenFlowEndpoint OpenFlow { get; }

    public IControllerState State => App.Services.GetRequiredService<IControllerState>();

    public FlowPlanner Planner => App.Services.GetRequiredService<FlowPlanner>();

    /// <param name="services">Runs after the controller's registrations: a test replaces a service here.</param>
    public static async Task<ControllerHarness> StartAsync(PlannerOptions? planner = null, Action<IServiceCollection>? services = null)
    {
        string directory = Directory.CreateTempSubdirectory("pb-ctl-").FullName;
        OpenFlowEndpoint openFlow = OpenFlowEndpoint.Unix(Path.Combine(directory, "of.sock"));
        var options = new ControllerOptions
        {
            OpenFlow = [openFlow],
            Planner = planner ?? new PlannerOptions(),

            // Off: tests wait for and count the PACKET_OUTs of first packets; FabricAnnouncerTests registers its own announcer.
            FabricAnnounceInterval = TimeSpan.Zero,
            Sessions = new SwitchSessionOptions
            {
                EchoInterval = TimeSpan.FromMinutes(5),
                DeadAfter = TimeSpan.FromMinutes(10),
                HandshakeTimeout = TimeSpan.FromSeconds(5),
                RequestTimeout = TimeSpan.FromSeconds(5),
                CloseGracePeriod = TimeSpan.FromMilliseconds(200),
            },
        };
        WebApplication app = ControllerApplication.Build(options, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new ControllerHarness(app, directory, openFlow);
    }

    public async Task<SimulatedSwitch> ConnectSwitchAsync(ulong datapathId, Core.Simulation.SwitchModel? model = null)
    {
        SimulatedSwitch simulated = await SimulatedSwitch.ConnectAsync(OpenFlow, datapathId, model);
        _switches.Add(simulated);
        return simulated;
    }

    public Task<HttpResponseMessage> PostAsync<T>(string path, T body) => Client.PostAsJsonAsync(path, body, TypeInfo<T>());

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize(text, TypeInfo<T>())!;
    }

    public async Task<T> GetAsync<T>(string path) => await ReadAsync<T>(await Client.GetAsync(path));

    /// <summary>Creates the network, and its tenant first when the tenant does not exist yet (networks need an existing tenant).</summary>
    public async Task<NetworkView> CreateNetworkAsync(string name, string subnet = "10.1.0.0/24", string tenant = "t1")
    {
        if (State.FindTenant(tenant) is null)
        {
            await State.CreateTenantAsync(tenant, new Dictionary<string, string>());
        }

        return await ReadAsync<NetworkView>(await PostAsync("/v1/networks", new NetworkCreate(name, tenant, subnet)), HttpStatusCode.Created);
    }

    public async Task<HostView> RegisterHostAsync(string name, ulong datapathId, uint uplinkPort = 1, string segment = "fabric") =>
        await ReadAsync<HostView>(await PostAsync("/v1/hosts", Host(name, datapathId, uplinkPort, segment)));

    public static HostRegistration Host(string name, ulong datapathId, uint uplinkPort = 1, string segment = "fabric") =>
        new(name, datapathId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), $"02:00:00:00:00:{datapathId:x2}", uplinkPort, $"198.18.0.{datapathId}", segment);

    public async Task<EndpointView> CreateEndpointAsync(string name, string network, string host, string? ip = null) =>
        await ReadAsync<EndpointView>(await PostAsync("/v1/endpoints", new EndpointCreate(name, network, host, Ip: ip)), HttpStatusCode.Created);

    public async Task<EndpointView> SetPortAsync(string endpoint, uint port) =>
        await ReadAsync<EndpointView>(await Client.PutAsJsonAsync($"/v1/endpoints/{endpoint}/port", new EndpointPort(port), PatchbayJsonContext.Default.EndpointPort));

    /// <summary>Polls until <paramref name="condition"/> holds (bounded: 10 s), failing with <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    public Task WaitForHostStateAsync(string host, string state) =>
        EventuallyAsync(async () => (await GetAsync<HostView>($"/v1/hosts/{host}")).State == state, $"host {host} is {state}");

    public async ValueTask DisposeAsync()
    {
        foreach (SimulatedSwitch simulated in _switches)
        {
            await simulated.DisposeAsync();
        }

        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> TypeInfo<T>() =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)PatchbayJsonContext.Default.GetTypeInfo(typeof(T))!;
}
