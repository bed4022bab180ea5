// `patchbay controller`: the OpenFlow server for every host's switch plus the REST API, in the
// foreground until SIGTERM or SIGINT. Logs go to stderr with event ids. The model lives in the SQLite
// store under --data-dir; a data directory that cannot be opened is one line on stderr and exit code 1.
using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Patchbay.Cli.Help;
using Patchbay.Controller.Hosting;
using Patchbay.Controller.Switching;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Connection;
using Patchbay.Store;

namespace Patchbay.Cli.Commands;

internal static class ControllerCommand
{
    public const string DefaultDataDirectory = "/var/lib/patchbay";

    // An hour: longer than any fabric's MAC ageing time, so a longer interval would refresh nothing.
    private const int MaxFabricAnnounceSeconds = 3600;

    public static Command Create()
    {
        var openFlow = new Option<OpenFlowEndpoint[]>("--openflow")
        {
            Description = "Where switches connect: unix:PATH or tcp:HOST:PORT (repeatable)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result => ParseEach(result, spec => OpenFlowEndpoint.Parse(spec)),
        };
        var api = new Option<ApiAddress[]>("--api")
        {
            Description = $"Where the REST API listens: unix:PATH or http://127.0.0.1:PORT (repeatable) [default: unix:{Api.ApiTarget.DefaultSocket}, where the CLI looks]",
            Arity = ArgumentArity.OneOrMore,
            DefaultValueFactory = _ => [ApiAddress.Unix(Api.ApiTarget.DefaultSocket)],
            CustomParser = result => ParseEach(result, ApiAddress.Parse),
        };
        var idleTimeout = new Option<int>("--idle-timeout")
        {
            Description = "Seconds of silence after which a conversation's flows expire",
            DefaultValueFactory = _ => 10,
        };
        idleTimeout.Validators.Add(result =>
        {
            // OVS forgets idle datapath cache entries after 1 s (the agent sets max-idle); a conversation that
            // expired sooner could leave a stale drop entry for its re-created first packet (docs/pipeline.md).
            if (result.GetValueOrDefault<int>() is < 2 or > ushort.MaxValue)
            {
                result.AddError("--idle-timeout must be 2..65535 seconds (OVS keeps idle datapath cache entries for 1 s; see docs/pipeline.md)");
            }
        });
        var packetInRate = AtLeastOne("--packet-in-rate", "Packets per second each endpoint port may send to the controller (the port's meter, on the switch)", 1000, "packet per second");
        var packetInBurst = AtLeastOne("--packet-in-burst", "Packets a port's meter lets through at once above that rate", 100, "packet");
        var packetInBudget = AtLeastOne(
            "--packet-in-budget",
            "PACKET_INs per second the controller handles from one host, shared fairly by its active ports; the rest are discarded and counted (packet-in-budget)",
            (int)PacketInBudgetOptions.DefaultRatePps,
            "packet per second");
        var packetInBudgetBurst = AtLeastOne("--packet-in-budget-burst", "PACKET_INs one host may send at once above its budget (the bucket's depth)", (int)PacketInBudgetOptions.DefaultBurst, "packet");

        var fabricAnnounceInterval = new Option<int>("--fabric-announce-interval")
        {
            Description = "Seconds between two announcements of each host's uplink MAC to the underlay (a broadcast RARP frame), so learning switches stop flooding direct-mode frames; 0 turns them off",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => (int)FabricAnnouncer.DefaultInterval.TotalSeconds,
        };
        fabricAnnounceInterval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > MaxFabricAnnounceSeconds)
            {
                result.AddError($"--fabric-announce-interval must be 0 (off) or 1..{MaxFabricAnnounceSeconds} seconds; keep it well under the fabric's MAC ageing time (300 s on Linux bridges and most switches)");
            }
        });

        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Directory of the controller's database (tenants, networks, endpoints, hosts); one controller per directory",
            DefaultValueFactory = _ => DefaultDataDirectory,
        };

        var command = new Command("controller", "Run the Patchbay controller: OpenFlow 1.3 for the switches and the REST API, until SIGTERM/SIGINT.")
        {
            openFlow,
            api,
            idleTimeout,
            packetInRate,
            packetInBurst,
            packetInBudget,
            packetInBudgetBurst,
            fabricAnnounceInterval,
            dataDirectory,
        };
        command.WithExamples(
            "patchbay controller --openflow unix:/run/patchbay/of.sock",
            "patchbay controller --openflow tcp:127.0.0.1:6653 --api http://127.0.0.1:9090 --data-dir /var/lib/patchbay",
            "patchbay controller --openflow unix:/run/patchbay/of.sock --packet-in-rate 500 --packet-in-budget 1000 --packet-in-budget-burst 100",
            "patchbay controller --openflow unix:/run/patchbay/of.sock --fabric-announce-interval 60");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ControllerOptions
            {
                OpenFlow = parseResult.GetRequiredValue(openFlow),
                Api = parseResult.GetRequiredValue(api),
                Planner = new PlannerOptions
                {
                    IdleTimeoutSeconds = (ushort)parseResult.GetValue(idleTimeout),
                    PacketInRatePps = (uint)parseResult.GetValue(packetInRate),
                    PacketInBurst = (uint)parseResult.GetValue(packetInBurst),
                },
                PacketInBudget = new PacketInBudgetOptions
                {
                    RatePps = (uint)parseResult.GetValue(packetInBudget),
                    Burst = (uint)parseResult.GetValue(packetInBudgetBurst),
                },
                FabricAnnounceInterval = TimeSpan.FromSeconds(parseResult.GetValue(fabricAnnounceInterval)),
            };
            foreach (var socket in options.Api.Select(a => a.Path).OfType<string>())
            {
                // The default socket's directory (/run/patchbay) does not survive a reboot.
                Directory.CreateDirectory(Path.GetDirectoryName(socket) is { Length: > 0 } parent ? parent : ".");
            }

            string directory = parseResult.GetRequiredValue(dataDirectory);
            IStore store;
            try
            {
                store = await SqliteStore.OpenAsync(directory, cancellationToken: cancellationToken);
            }
            catch (StoreException e)
            {
                await Console.Error.WriteLineAsync($"patchbay controller: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"patchbay controller: data directory {directory}: {e.Message}");
                return 1;
            }

            await using (store)
            {
                await using var app = ControllerApplication.Build(options, builder => builder.Services.AddSingleton(store));
                await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static Option<int> AtLeastOne(string name, string description, int defaultValue, string unit)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = unit == "packet" ? "N" : "PPS",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1 {unit}");
            }
        });
        return option;
    }

    private static T[] ParseEach<T>(ArgumentResult result, Func<string, T> parse)
    {
        var values = new List<T>(result.Tokens.Count);
        foreach (Token token in result.Tokens)
        {
            try
            {
                values.Add(parse(token.Value));
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                result.AddError(e.Message);
            }
        }

        return [.. values];
    }
}
