// Patchbay.Scale: the control-plane scale benchmark of issue #7 (bench/scale/run.sh starts the controller and
// runs this against it). It provisions hosts, endpoints and policy rules through the REST API, with the
// switches emulated in this process, and reports times, controller memory and flows per switch.
using System.CommandLine;
using System.Globalization;
using System.Net;
using Patchbay.Scale;

var controller = new Option<IPEndPoint>("--controller")
{
    Description = "The controller's OpenFlow address on loopback: tcp:127.0.0.1:PORT",
    Required = true,
    CustomParser = result => ParseEndpoint(result.Tokens[0].Value),
};
var api = new Option<string>("--api") { Description = "The controller's REST API: unix:PATH or http://127.0.0.1:PORT", Required = true };
var pid = new Option<int?>("--controller-pid") { Description = "The controller's process id, to read its memory from /proc/PID/status" };
var hosts = new Option<int>("--hosts") { Description = "Emulated hosts (one switch each)", DefaultValueFactory = _ => 1000 };
var perHost = new Option<int>("--endpoints-per-host") { Description = "Endpoints created and plugged on each host", DefaultValueFactory = _ => 100 };
var tenants = new Option<int>("--tenants") { Description = "Tenants", DefaultValueFactory = _ => 50 };
var networksPerTenant = new Option<int>("--networks-per-tenant") { Description = "Networks of each tenant", DefaultValueFactory = _ => 2 };
var rules = new Option<int>("--rules") { Description = "Policy rules in all (spread over the tenants); the default is the issue's full size", DefaultValueFactory = _ => 140_000 };
var groups = new Option<int>("--groups-per-tenant") { Description = "Policy groups (by app label) per tenant", DefaultValueFactory = _ => 20 };
var conversations = new Option<string>("--conversations") { Description = "Active conversations to reach, step by step (comma-separated)", DefaultValueFactory = _ => "0,1000,10000,50000" };
var concurrency = new Option<int>("--concurrency") { Description = "API requests in flight at once", DefaultValueFactory = _ => 16 };
var window = new Option<int>("--window") { Description = "First packets outstanding at once", DefaultValueFactory = _ => 512 };
var outJson = new Option<string?>("--out-json") { Description = "Write the result fragment (bench report format) to this file" };
var command = new Option<string>("--command") { Description = "How to rerun this benchmark, for the report", DefaultValueFactory = _ => "bench/scale/run.sh" };
var load = new Option<string?>("--load-average") { Description = "The load average when the run started, for the report" };

var root = new RootCommand("Control-plane scale benchmark (issue #7): emulated hosts, endpoints and policy rules provisioned through Patchbay's REST API; reports provisioning time, controller memory per endpoint and flows per switch against active conversations.")
{
    controller, api, pid, hosts, perHost, tenants, networksPerTenant, rules, groups, conversations, concurrency, window, outJson, command, load,
};
root.SetAction(async (parse, cancellationToken) =>
{
    ScaleOptions options;
    try
    {
        options = new ScaleOptions
        {
            Controller = parse.GetRequiredValue(controller),
            Api = parse.GetRequiredValue(api),
            ControllerPid = parse.GetValue(pid),
            Parameters = new ScaleParameters
            {
                Hosts = parse.GetValue(hosts),
                EndpointsPerHost = parse.GetValue(perHost),
                Tenants = parse.GetValue(tenants),
                NetworksPerTenant = parse.GetValue(networksPerTenant),
                Rules = parse.GetValue(rules),
                GroupsPerTenant = parse.GetValue(groups),
            },
            ConversationSteps = [.. parse.GetRequiredValue(conversations).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order()],
            Concurrency = parse.GetValue(concurrency),
            Window = parse.GetValue(window),
        };
        _ = new ScaleLayout(options.Parameters);
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        await Console.Error.WriteLineAsync($"scale: {e.Message}");
        return 2;
    }

    using var run = new ScaleRun(options, Console.Out);
    ScaleReport report = await run.RunAsync(cancellationToken);
    var fragment = new ScaleFragment(report, parse.GetRequiredValue(command), parse.GetValue(load));
    Console.WriteLine();
    Console.WriteLine(fragment.Markdown());
    if (parse.GetValue(outJson) is string path)
    {
        await File.WriteAllBytesAsync(path, fragment.Json(), cancellationToken);
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();

static IPEndPoint ParseEndpoint(string text)
{
    string value = text.StartsWith("tcp:", StringComparison.Ordinal) ? text[4..] : text;
    return IPEndPoint.Parse(value);
}
