// Builds the controller process: Kestrel on the API addresses (unix sockets and/or loopback TCP), the
// REST resources, the state, the planner, the switch manager, and as hosted services the OpenFlow listener,
// the policy enforcer and the fabric announcer. The command runs it until SIGTERM/SIGINT; tests build it on a test server.
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Api;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Controller.Tracing;
using Patchbay.Core.Api;
using Patchbay.Core.Planning;
using Patchbay.Store;

namespace Patchbay.Controller.Hosting;

public static class ControllerApplication
{
    /// <param name="configure">Runs last before Build: tests swap the server or the logging here.</param>
    public static WebApplication Build(ControllerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

        // ASP.NET Core narrates every request at Information; the controller's own events are what matter.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ApiBody.MaxBytes;
            Listen(kestrel, options.Api);
        });

        builder.Services.AddPatchbayApi();
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PatchbayJsonContext.Default));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        // The model lives in memory only unless a store is registered: `patchbay controller` registers the
        // SqliteStore under --data-dir, tests a store they keep across controller restarts.
        builder.Services.AddSingleton<IStore>(_ => new MemoryStore());
        builder.Services.AddSingleton(services => new StoreControllerState(services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IControllerState>(services => services.GetRequiredService<StoreControllerState>());
        builder.Services.AddSingleton<IPolicyState>(services => services.GetRequiredService<StoreControllerState>());
        builder.Services.AddHostedService(services => new ControllerStateLoader(services.GetRequiredService<StoreControllerState>(), services.GetRequiredService<IStore>()));
        builder.Services.AddSingleton(new FlowPlanner(options.Planner));
        builder.Services.AddSingleton<SwitchRegistry>();
        builder.Services.AddSingleton<RecentDrops>();
        builder.Services.AddSingleton<ConversationTracker>();
        builder.Services.AddSingleton<FirstPacketHandler>();
        builder.Services.AddSingleton(services => new PacketInBudget(options.PacketInBudget, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SwitchManager>();
        builder.Services.AddSingleton<TraceService>();
        builder.Services.AddSingleton<OpenFlowService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OpenFlowService>());
        builder.Services.AddSingleton<PolicyEnforcer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PolicyEnforcer>());
        builder.Services.AddSingleton(services => new FabricAnnouncer(
            options.FabricAnnounceInterval,
            services.GetRequiredService<SwitchRegistry>(),
            services.GetRequiredService<IControllerState>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<FabricAnnouncer>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<FabricAnnouncer>());
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapPatchbayApi();
        app.Lifetime.ApplicationStopped.Register(() => RemoveSocketFiles(options.Api));
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, IReadOnlyList<ApiAddress> addresses)
    {
        foreach (ApiAddress address in addresses)
        {
            if (address.Path is string path)
            {
                RemoveStaleSocket(path);
                kestrel.ListenUnixSocket(path);
            }
            else
            {
                kestrel.Listen(address.Address!, address.Port);
            }
        }
    }

    // A socket file that refuses connections was left by a process that is gone; one that accepts is in use.
    private static void RemoveStaleSocket(string path)
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

        throw new IOException($"API socket unix:{path} is in use: another process listens on it");
    }

    private static void RemoveSocketFiles(IReadOnlyList<ApiAddress> addresses)
    {
        foreach (ApiAddress address in addresses)
        {
            if (address.Path is string path)
            {
                File.Delete(path);
            }
        }
    }
}
