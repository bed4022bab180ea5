// The agent process: OVS set up through OVSDB, the informer -> cache -> work queue -> reconciler loop that reports
// endpoint ports, the registration heartbeat, and the local API on a unix socket. It runs until cancelled (SIGTERM)
// and leaves plugged endpoints in place: their flows keep working with the bridge in fail-mode secure.
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Agent.Docker;
using Patchbay.Agent.Informer;
using Patchbay.Agent.LocalApi;
using Patchbay.Agent.Ovs;
using Patchbay.Agent.Plugging;
using Patchbay.Agent.Registration;
using Patchbay.Core.Api;
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.Agent;

public static class AgentApplication
{
    /// <param name="configure">Runs last before the local API is built: tests change logging here.</param>
    public static async Task RunAsync(AgentOptions options, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            RemoveStaleSocket(options.SocketPath);
            kestrel.ListenUnixSocket(options.SocketPath);
        });
        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PatchbayJsonContext.Default));
        configure?.Invoke(builder);
        await using WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Patchbay.Agent");

        await using OvsdbClient ovsdb = await OvsdbClient.ConnectAsync(
            OvsdbEndpoint.Parse(options.Ovsdb),
            app.Services.GetRequiredService<ILogger<OvsdbClient>>(),
            cancellationToken);
        var bridge = new HostBridge(new OpenVSwitchDb(ovsdb), options);
        UplinkFacts uplink = await bridge.SetUpAsync(cancellationToken);
        await SwitchTuning.ApplyAsync(ovsdb, options, cancellationToken);
        AgentLog.BridgeReady(logger, options.Bridge, options.EffectiveDatapathId, options.Uplink, uplink.OfPort, uplink.Mac);

        using var api = PatchbayApiClient.Create(options.ControllerApi, TimeSpan.FromSeconds(10));
        var queue = new WorkQueue();
        var cache = new EndpointPortCache(queue);
        var reconciler = new PortReconciler(cache, queue, api, logger);
        await using OvsdbMonitor monitor = await new InterfaceInformer(ovsdb, cache).StartAsync(cancellationToken);
        var registrar = new HostRegistrar(api, Registration(options, uplink), options, logger);
        using var plugger = new EndpointPlugger(options, bridge, api, cache, reconciler, logger);
        using var dockerDriver = new DockerDriver(options.Name, new ControllerDockerModel(api), new HostDockerLinks(bridge), logger);
        await using DockerPluginServer? docker = options.DockerSocketPath is null ? null : await DockerPluginServer.StartAsync(options.DockerSocketPath, dockerDriver, logger, cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapAgentApi(plugger);
        await app.StartAsync(cancellationToken);
        AgentLog.Serving(logger, options.Name, options.SocketPath);
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task informing = InterfaceInformer.RunAsync(monitor, cache, stop.Token);
            Task reconciling = reconciler.RunAsync(stop.Token);
            Task registering = registrar.RunAsync(reconciler.ResyncAll, stop.Token);
            Task cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
            Task first = await Task.WhenAny(informing, reconciling, registering, ovsdb.Completion, cancelled);
            await stop.CancelAsync();
            if (first != cancelled)
            {
                Exception? reason = first.Exception?.GetBaseException();
                AgentLog.OvsdbClosed(logger, reason);
                throw new InvalidOperationException("the agent lost its OVSDB connection or a loop ended unexpectedly", reason);
            }

            AgentLog.Stopping(logger, options.Name);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            File.Delete(options.SocketPath);
        }
    }

    public static HostRegistration Registration(AgentOptions options, UplinkFacts uplink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(uplink);
        return new HostRegistration(options.Name, options.EffectiveDatapathId, uplink.Mac, uplink.OfPort, options.UnderlayIp, options.Segment);
    }

    // A socket file that refuses connections was left by a process that is gone; one that accepts is in use.
    internal static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }

        throw new IOException($"agent socket unix:{path} is in use: another process listens on it");
    }
}
