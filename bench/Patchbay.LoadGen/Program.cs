// Patchbay.LoadGen: a cbench-style OpenFlow 1.3 controller load generator (see bench/controllers/README.md).
// The root command runs the generator against one controller; `compare` turns JSON reports into the
// markdown table of BENCHMARKS.md.
using System.CommandLine;
using System.Net;
using System.Text.Json;
using Patchbay.Core.Api;
using Patchbay.LoadGen;

var controller = new Option<IPEndPoint>("--controller")
{
    Description = "The controller's OpenFlow address on loopback: tcp:127.0.0.1:PORT or 127.0.0.1:PORT",
    Required = true,
    CustomParser = result => ParseEndpoint(result.Tokens[0].Value),
};
var label = new Option<string>("--label") { Description = "Name of the controller in the report", DefaultValueFactory = _ => "controller" };
var switches = new Option<int>("--switches") { Description = "Emulated switches, one TCP connection each", DefaultValueFactory = _ => 16 };
var mode = new Option<LoadMode>("--mode") { Description = "throughput: a window of outstanding PACKET_INs per switch; latency: one outstanding", DefaultValueFactory = _ => LoadMode.Throughput };
var window = new Option<int>("--window") { Description = "Outstanding PACKET_INs per switch in throughput mode", DefaultValueFactory = _ => 64 };
var warmup = new Option<double>("--warmup") { Description = "Seconds of load before measuring", DefaultValueFactory = _ => 2 };
var duration = new Option<double>("--duration") { Description = "Seconds per measured loop", DefaultValueFactory = _ => 10 };
var loops = new Option<int>("--loops") { Description = "Measured loops", DefaultValueFactory = _ => 1 };
var count = new Option<long?>("--count") { Description = "Send exactly this many PACKET_INs per switch and wait for their answers, instead of timed loops" };
var timeout = new Option<double>("--timeout") { Description = "Seconds after which an unanswered PACKET_IN counts as lost", DefaultValueFactory = _ => 1 };
var traffic = new Option<TrafficKind>("--traffic") { Description = "learning: new MACs every packet (cbench); patchbay: new cross-host conversations between registered endpoints", DefaultValueFactory = _ => TrafficKind.Learning };
var api = new Option<string?>("--api") { Description = "Patchbay traffic: the controller's REST API (http://127.0.0.1:PORT or unix:PATH)" };
var endpointsPerHost = new Option<int>("--endpoints-per-host") { Description = "Patchbay traffic: endpoints registered per emulated host (2..250)", DefaultValueFactory = _ => 250 };
var output = new Option<string>("--output", "-o") { Description = "text or json", DefaultValueFactory = _ => "text" };
output.AcceptOnlyFromAmong("text", "json");

var root = new RootCommand("cbench-style OpenFlow 1.3 controller load generator: N emulated switches on loopback send PACKET_INs of new conversations and count the FLOW_MOD/PACKET_OUT answers.")
{
    controller, label, switches, mode, window, warmup, duration, loops, count, timeout, traffic, api, endpointsPerHost, output,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new LoadOptions
    {
        Controller = parse.GetRequiredValue(controller),
        Label = parse.GetRequiredValue(label),
        Switches = parse.GetValue(switches),
        Mode = parse.GetValue(mode),
        Window = parse.GetValue(window),
        Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
        Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
        Loops = parse.GetValue(loops),
        Count = parse.GetValue(count),
        ResponseTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
        Traffic = parse.GetValue(traffic),
        PatchbayApi = parse.GetValue(api),
        EndpointsPerHost = parse.GetValue(endpointsPerHost),
    };
    try
    {
        options.Validate();
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync($"loadgen: {e.Message}");
        return 2;
    }

    LoadReport report;
    try
    {
        report = await new LoadRun(options, Console.Error).RunAsync(cancellationToken);
    }
    catch (Exception e) when (e is PatchbayApiException or HttpRequestException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync($"loadgen: {options.Label}: setup failed: {e.Message}");
        return 1;
    }

    await Console.Out.WriteAsync(parse.GetValue(output) == "json"
        ? JsonSerializer.Serialize(report, LoadGenJsonContext.Default.LoadReport) + Environment.NewLine
        : report.ToText());
    return report.Answered > 0 ? 0 : 1;
});

var files = new Argument<FileInfo[]>("reports") { Description = "JSON reports (-o json) of the runs to compare", Arity = ArgumentArity.OneOrMore };
var compare = new Command("compare", "Print the markdown table of several JSON reports, with the ratios of every patchbay* run to every other controller.") { files };
compare.SetAction(async (parse, cancellationToken) =>
{
    var reports = new List<LoadReport>();
    foreach (FileInfo file in parse.GetRequiredValue(files))
    {
        await using FileStream stream = file.OpenRead();
        reports.Add(await JsonSerializer.DeserializeAsync(stream, LoadGenJsonContext.Default.LoadReport, cancellationToken)
            ?? throw new InvalidDataException($"{file.FullName} holds no report"));
    }

    await Console.Out.WriteAsync(Comparison.Markdown(reports));
    return 0;
});
root.Subcommands.Add(compare);

return await root.Parse(args).InvokeAsync();

static IPEndPoint ParseEndpoint(string spec)
{
    string text = spec.StartsWith("tcp:", StringComparison.Ordinal) ? spec[4..] : spec;
    return IPEndPoint.TryParse(text, out IPEndPoint? endpoint) && endpoint.Port != 0
        ? endpoint
        : throw new FormatException($"'{spec}' is not tcp:127.0.0.1:PORT");
}
