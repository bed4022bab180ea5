// Patchbay.PolicyChange: the policy-change benchmark of issue #5 (bench/policy-change/run.sh starts the controller
// and runs this against it): 10,000 live conversations between emulated switches, then changes that revoke 10 %
// and 100 % of them, timed from the API request to the last delete flow-mod the switches received.
using System.CommandLine;
using System.Net;
using Patchbay.PolicyChange;

var controller = new Option<IPEndPoint>("--controller")
{
    Description = "The controller's OpenFlow address on loopback: tcp:127.0.0.1:PORT",
    Required = true,
    CustomParser = result => IPEndPoint.Parse(result.Tokens[0].Value.StartsWith("tcp:", StringComparison.Ordinal) ? result.Tokens[0].Value[4..] : result.Tokens[0].Value),
};
var api = new Option<string>("--api") { Description = "The controller's REST API: unix:PATH or http://127.0.0.1:PORT", Required = true };
var hosts = new Option<int>("--hosts") { Description = "Emulated hosts (one switch each)", DefaultValueFactory = _ => 16 };
var perHost = new Option<int>("--endpoints-per-host") { Description = "Endpoints on each host (at most 250)", DefaultValueFactory = _ => 40 };
var conversations = new Option<int>("--conversations") { Description = "Live conversations (a multiple of 10)", DefaultValueFactory = _ => 10_000 };
var repetitions = new Option<int>("--reps") { Description = "Repetitions of each change", DefaultValueFactory = _ => 3 };
var window = new Option<int>("--window") { Description = "First packets outstanding at once", DefaultValueFactory = _ => 256 };
var outJson = new Option<string?>("--out-json") { Description = "Write the result fragment (bench/README.md format) to this file" };
var command = new Option<string>("--command") { Description = "How to rerun this benchmark, for the report", DefaultValueFactory = _ => "bench/policy-change/run.sh" };
var load = new Option<string?>("--load-average") { Description = "The load average when the run started, for the report" };

var root = new RootCommand("Policy-change benchmark (issue #5): time from a policy change to the last affected flow removed, with 10,000 live conversations on emulated switches.")
{
    controller, api, hosts, perHost, conversations, repetitions, window, outJson, command, load,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new PolicyChangeOptions
    {
        Controller = parse.GetRequiredValue(controller),
        Api = parse.GetRequiredValue(api),
        Hosts = parse.GetValue(hosts),
        EndpointsPerHost = parse.GetValue(perHost),
        Conversations = parse.GetValue(conversations),
        Repetitions = parse.GetValue(repetitions),
        Window = parse.GetValue(window),
    };
    if (options.EndpointsPerHost is < 1 or > 250 || options.Hosts is < 2 or > 250 || options.Repetitions < 1 || options.Conversations < 10)
    {
        await Console.Error.WriteLineAsync("policy-change: --hosts 2..250, --endpoints-per-host 1..250, --reps >= 1, --conversations >= 10");
        return 2;
    }

    PolicyChangeReport report;
    try
    {
        report = await new PolicyChangeRun(options, Console.Out).RunAsync(cancellationToken);
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync($"policy-change: {e.Message}");
        return 2;
    }

    var fragment = new PolicyChangeFragment(report, parse.GetRequiredValue(command), parse.GetValue(load));
    Console.WriteLine();
    Console.WriteLine(fragment.Markdown());
    if (parse.GetValue(outJson) is string path)
    {
        await File.WriteAllBytesAsync(path, fragment.Json(), cancellationToken);
    }

    return fragment.Passed ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
