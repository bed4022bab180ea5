// `patchbay trace SRC DST [--proto P] [--port N]`: why can (not) SRC reach DST (docs/trace.md). The controller
// runs the packet SRC would send through the flows its switches hold now; this prints its answer for people
// (verdict, what decided it, the mode, each switch's matched flows with their live counters and rewrites, then
// where the packet ends) or, with -o json|yaml, exactly what the API answered, for scripts.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class TraceCommand
{
    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup(
            "trace",
            "Why can (not) SRC reach DST: the policy's verdict and the rule that decided, then the packet through each switch's current flows, with their counters, the rewrites, and where it is delivered or dropped",
            environment);
        var source = new Argument<string>("SRC") { Description = "The source endpoint" };
        var destination = new Argument<string>("DST") { Description = "The destination endpoint, or an IPv4 address" };
        var proto = new Option<string?>("--proto") { Description = "IP protocol (default: tcp with --port, else icmp echo)", HelpName = "tcp|udp|icmp" };
        proto.AcceptOnlyFromAmong("tcp", "udp", "icmp");
        var port = new Option<int?>("--port") { Description = "Destination port (tcp and udp)", HelpName = "N" };
        var output = OutputOption.Create();
        group.Command.Arguments.Add(source);
        group.Command.Arguments.Add(destination);
        group.Command.Options.Add(proto);
        group.Command.Options.Add(port);
        group.Command.Options.Add(output);
        group.Command.WithExamples(
            "patchbay trace web1 db1 --port 5432",
            "patchbay trace web1 10.1.0.9",
            "patchbay trace web1 web2 -o json");
        group.Run(async (run, cancellationToken) =>
        {
            var trace = await run.Api.TraceAsync(
                run.ParseResult.GetRequiredValue(source),
                run.ParseResult.GetRequiredValue(destination),
                run.ParseResult.GetValue(proto),
                run.ParseResult.GetValue(port),
                cancellationToken);
            var format = OutputOption.Parse(run.ParseResult.GetRequiredValue(output));
            if (format == OutputFormat.Table)
            {
                await run.Output.WriteAsync(Render(trace));
            }
            else
            {
                await Printer.WriteOneAsync(run.Output, format, trace, []);
            }
        });
        return group.Command;
    }

    /// <summary>The trace for people, in the spirit of ovn-trace: one block per switch, flows as ovs-ofctl shows them.</summary>
    public static string Render(JsonNode trace)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var packet = trace["packet"];
        text.WriteLine($"Trace        {Name(trace["source"])} → {Name(trace["destination"])}, {Column.Text(packet?["protocol"])}{Port(trace["port"])}");
        text.WriteLine($"Packet       {Column.Text(packet?["ethSrc"])} → {Column.Text(packet?["ethDst"])}, {Column.Text(packet?["ipSrc"])} → {Column.Text(packet?["ipDst"])}{L4(packet)}, {Column.Text(packet?["length"])} bytes");
        var decision = trace["decision"];
        text.WriteLine($"Verdict      {Column.Text(trace["verdict"]).ToUpperInvariant()}");
        text.WriteLine($"Decided by   {Column.Text(decision?["summary"])}{Granularity(decision)}");
        text.WriteLine($"Mode         {Column.Text(trace["mode"])}");
        if (trace["conversation"] is JsonObject conversation)
        {
            text.WriteLine($"Conversation {Column.Text(conversation["id"])} (cookie {Column.Text(conversation["cookie"])}, {Column.Text(conversation["state"])})");
        }
        else
        {
            text.WriteLine("Conversation none matched on the switches");
        }

        foreach (var hop in (trace["hops"] as JsonArray ?? []).OfType<JsonObject>())
        {
            text.WriteLine();
            WriteHop(text, hop);
        }

        var result = trace["result"];
        text.WriteLine();
        text.WriteLine($"Result       {Column.Text(result?["outcome"]).ToUpperInvariant()}{(result?["planned"]?.GetValue<bool>() == true ? " (planned: after the controller installs the flows)" : "")}");
        text.WriteLine($"             {Column.Text(result?["summary"])}");
        if (trace["notes"] is JsonArray { Count: > 0 } notes)
        {
            text.WriteLine();
            text.WriteLine("Notes");
            foreach (var note in notes)
            {
                text.WriteLine($"  - {Column.Text(note)}");
            }
        }

        return text.ToString();
    }

    private static void WriteHop(StringWriter text, JsonObject hop)
    {
        var planned = Column.Text(hop["stage"]) == "planned";
        text.WriteLine($"{Column.Text(hop["host"])} (datapath {Column.Text(hop["datapathId"])}){(planned ? " with the flows the controller would install" : "")}, in on port {Column.Text(hop["inPort"])} ({Column.Text(hop["inPortName"])})");
        if (hop["connected"]?.GetValue<bool>() == false)
        {
            text.WriteLine($"  NOT CONNECTED: {Column.Text(hop["reason"])}");
            return;
        }

        foreach (var flow in (hop["flows"] as JsonArray ?? []).OfType<JsonObject>())
        {
            text.WriteLine($"  table {Column.Text(flow["table"])} {Column.Text(flow["tableName"])}, priority {Column.Text(flow["priority"])}, cookie {Column.Text(flow["cookie"])} ({Column.Text(flow["owner"])})");
            text.WriteLine($"      {Counters(flow)}");
            text.WriteLine($"      match    {Column.Text(flow["match"])}");
            text.WriteLine($"      actions  {Column.Text(flow["actions"])}");
        }

        var rewrites = (hop["rewrites"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < rewrites.Count; i++)
        {
            text.WriteLine($"  {(i == 0 ? "rewrites" : "        ")}  {Column.Text(rewrites[i]["field"]),-8} {Column.Text(rewrites[i]["before"])} → {Column.Text(rewrites[i]["after"])}");
        }

        text.WriteLine(Column.Text(hop["outcome"]) switch
        {
            "output" => $"  → output to port {Column.Text(hop["outPort"])} ({Column.Text(hop["outPortName"])})",
            "controller" => $"  → to the controller: {Column.Text(hop["reason"])}",
            _ => $"  ✗ dropped: {Column.Text(hop["reason"])}",
        });
    }

    private static string Counters(JsonObject flow)
    {
        if (flow["planned"]?.GetValue<bool>() == true)
        {
            return "PLANNED, not installed" + Timeouts(flow);
        }

        var duration = flow["durationSeconds"] is JsonValue d ? d.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture) + "s" : Column.Missing;
        return $"n_packets={Column.Text(flow["packets"])}, n_bytes={Column.Text(flow["bytes"])}, duration={duration}{Timeouts(flow)}";
    }

    private static string Timeouts(JsonObject flow) =>
        (flow["idleTimeout"] is null ? "" : $", idle_timeout={Column.Text(flow["idleTimeout"])}")
        + (flow["hardTimeout"] is null ? "" : $", hard_timeout={Column.Text(flow["hardTimeout"])}");

    private static string Name(JsonNode? end) =>
        end?["name"] is null ? Column.Text(end?["ip"]) : $"{Column.Text(end["name"])} ({Column.Text(end["ip"])} on {Column.Text(end["host"])})";

    private static string Port(JsonNode? port) => port is null ? "" : "/" + Column.Text(port);

    private static string L4(JsonNode? packet) =>
        packet?["destinationPort"] is null ? "" : $", port {Column.Text(packet["sourcePort"])} → {Column.Text(packet["destinationPort"])}";

    private static string Granularity(JsonNode? decision) =>
        decision?["granularity"] is null ? "" : $" [flows match {(Column.Text(decision["granularity"]) == "protocolPort" ? "protocol + port" : "the IP pair")}]";
}
