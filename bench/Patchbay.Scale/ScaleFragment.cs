// The scale run as a bench result fragment (the contract `make bench` collects: suite, title, command,
// seconds, summary, tables, figures, notes) and as markdown for the console. Nuage's numbers are their
// published demo (20,000 containers and 140,000 ACLs in 8 minutes), shown beside ours, never as a ratio
// measured in the same run.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Patchbay.Scale;

public sealed class ScaleFragment(ScaleReport report, string command, string? loadAverage)
{
    private const int NuageContainers = 20_000;
    private const int NuageAcls = 140_000;
    private const double NuageSeconds = 8 * 60;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public byte[] Json()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("suite", "control-plane-scale");
            w.WriteString("title", "Control-plane scale (issue #7)");
            w.WriteString("command", command);
            w.WriteNumber("seconds", Math.Round(report.Seconds, 1));
            w.WriteString("summary", Summary());
            w.WriteStartArray("tables");
            foreach ((string caption, string[] columns, List<string[]> rows) in Tables())
            {
                w.WriteStartObject();
                w.WriteString("caption", caption);
                w.WriteStartArray("columns");
                foreach (string column in columns)
                {
                    w.WriteStringValue(column);
                }

                w.WriteEndArray();
                w.WriteStartArray("rows");
                foreach (string[] row in rows)
                {
                    w.WriteStartArray();
                    foreach (string cell in row)
                    {
                        w.WriteStringValue(cell);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("figures");
            WriteFlowsFigure(w);
            WriteRatesFigure(w);
            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (string note in Notes())
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("## Control-plane scale (issue #7)").AppendLine();
        text.AppendLine(Summary()).AppendLine();
        foreach ((string caption, string[] columns, List<string[]> rows) in Tables())
        {
            text.AppendLine(caption).AppendLine();
            text.AppendLine($"| {string.Join(" | ", columns)} |");
            text.AppendLine($"|{string.Concat(columns.Select(_ => "---|"))}");
            foreach (string[] row in rows)
            {
                text.AppendLine($"| {string.Join(" | ", row)} |");
            }

            text.AppendLine();
        }

        foreach (string note in Notes())
        {
            text.AppendLine($"- {note}");
        }

        return text.ToString();
    }

    private PhaseResult? Phase(string prefix) => report.Phases.FirstOrDefault(p => p.Name.StartsWith(prefix, StringComparison.Ordinal));

    private long Rss(string after) => report.Memory.FirstOrDefault(m => m.After == after)?.RssKiB ?? 0;

    private double BytesPerEndpoint => (Rss("endpoints") - Rss("hosts")) * 1024.0 / Math.Max(report.Endpoints, 1);

    private string Summary()
    {
        ScaleParameters p = report.Parameters;
        PhaseResult? endpoints = Phase("endpoints");
        PhaseResult? rules = Phase("policy");
        double provisioning = report.Phases.Sum(x => x.Seconds);
        StepResult? last = report.Steps.Count > 0 ? report.Steps[^1] : null;
        var text = new StringBuilder();
        text.Append(Invariant, $"A real controller (`patchbay controller`, SQLite store in a fresh `--data-dir`, REST API on a unix socket) and {p.Hosts:N0} emulated OpenFlow 1.3 switches in one process on the same machine, which keep the flows and meters the controller programs and count them. ");
        text.Append(Invariant, $"Through the REST API, with bounded concurrency: {p.Tenants} tenants with {report.Networks} networks (/{report.SubnetPrefix}), {p.Hosts:N0} hosts, {report.Endpoints:N0} endpoints created (address and MAC allocated by the controller) and plugged (their port reported, so the controller installs 6 flows and a meter for each on its switch), then {report.Groups:N0} policy groups and {p.Rules:N0} rules in {report.GroupDocuments + report.RuleDocuments} `policy apply` documents. ");
        text.Append(Invariant, $"Provisioning took **{provisioning:0.0} s** in all: endpoints {endpoints?.Seconds ?? 0:0.0} s (**{Rate(endpoints):0} endpoints/s**, each two API calls and its flows on the switch), rules {rules?.Seconds ?? 0:0.0} s (**{RulesRate:0} rules/s**). ");
        text.Append(Invariant, $"Nuage's public demo provisioned {NuageContainers:N0} containers and {NuageAcls:N0} ACLs in 8 minutes ({NuageContainers / NuageSeconds:0} containers/s, {NuageAcls / NuageSeconds:0} ACLs/s); those are their published numbers on their hardware, not measured here. ");
        text.Append(Invariant, $"Controller memory grew by {BytesPerEndpoint / 1024:0.0} KiB per endpoint (RSS, endpoints phase); ");
        if (last is not null)
        {
            text.Append(Invariant, $"with {last.Answered:N0} active conversations the switches hold {last.Flows.Min}/{last.Flows.Average:0}/{last.Flows.Max} flows (min/avg/max).");
        }

        return text.ToString();
    }

    private List<(string Caption, string[] Columns, List<string[]> Rows)> Tables()
    {
        var tables = new List<(string, string[], List<string[]>)>
        {
            (
                "Provisioning phases (wall time until the switches hold what the phase programs)",
                ["phase", "objects", "API requests", "seconds", "objects/s", "controller CPU s", "benchmark CPU s"],
                [.. report.Phases.Select(p => new[] { p.Name, N(p.Objects), N(p.Requests), F1(p.Seconds), F0(p.Objects / Math.Max(p.Seconds, 1e-9)), F1(p.ControllerCpuSeconds), F1(p.BenchCpuSeconds) })]),
            (
                "Side by side with Nuage's published demo (their numbers, not measured in this run)",
                ["system", "containers / endpoints", "ACLs / rules", "seconds", "endpoints/s", "rules/s"],
                [
                    ["Patchbay (this run)", N(report.Endpoints), N(report.Parameters.Rules), F1((Phase("endpoints")?.Seconds ?? 0) + (Phase("policy")?.Seconds ?? 0)), F0(Rate(Phase("endpoints"))), F0(RulesRate)],
                    ["Nuage VSP demo (published)", N(NuageContainers), N(NuageAcls), F1(NuageSeconds), F0(NuageContainers / NuageSeconds), F0(NuageAcls / NuageSeconds)],
                ]),
            (
                "Controller memory (/proc/PID/status)",
                ["after", "VmRSS MiB", "VmHWM MiB"],
                [.. report.Memory.Select(m => new[] { m.After, F1(m.RssKiB / 1024.0), F1(m.HwmKiB / 1024.0) })]),
            (
                "Flows per switch against active conversations",
                ["active conversations", "flows per switch min / avg / max", "conversation flows per switch min / avg / max", "step seconds", "setups/s", "controller VmRSS MiB"],
                [.. report.Steps.Select((s, i) => new[]
                {
                    N(s.Answered),
                    $"{s.Flows.Min} / {s.Flows.Average:0.0} / {s.Flows.Max}",
                    $"{s.ConversationFlows.Min} / {s.ConversationFlows.Average:0.0} / {s.ConversationFlows.Max}",
                    F1(s.Seconds),
                    F0((s.Answered - (i == 0 ? 0 : report.Steps[i - 1].Answered)) / Math.Max(s.Seconds, 1e-9)),
                    F1(s.RssKiB / 1024.0),
                })]),
        };
        return tables;
    }

    private void WriteFlowsFigure(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("file", "scale-flows-per-switch");
        w.WriteString("kind", "line");
        w.WriteString("title", $"Flows per switch against active conversations ({report.Parameters.Hosts:N0} switches, {report.Parameters.EndpointsPerHost} endpoints each)");
        w.WriteString("xLabel", "active conversations");
        w.WriteString("yLabel", "flows per switch");
        w.WriteStartArray("series");
        foreach ((string name, Func<StepResult, double> value) in new (string, Func<StepResult, double>)[] { ("max", s => s.Flows.Max), ("average", s => s.Flows.Average), ("min", s => s.Flows.Min) })
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteStartArray("x");
            foreach (StepResult step in report.Steps)
            {
                w.WriteNumberValue(step.Answered);
            }

            w.WriteEndArray();
            w.WriteStartArray("y");
            foreach (StepResult step in report.Steps)
            {
                w.WriteNumberValue(Math.Round(value(step), 1));
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteRatesFigure(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("file", "scale-provisioning-rates");
        w.WriteString("kind", "bars");
        w.WriteString("title", "Provisioning rate through the REST API (Nuage: published demo, not this run)");
        w.WriteString("xLabel", "objects");
        w.WriteString("yLabel", "objects per second");
        w.WriteStartArray("series");
        WriteBars(w, "Patchbay (this run)", Rate(Phase("endpoints")), RulesRate);
        WriteBars(w, "Nuage demo (published)", NuageContainers / NuageSeconds, NuageAcls / NuageSeconds);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteBars(Utf8JsonWriter w, string name, double endpoints, double rules)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteStartArray("x");
        w.WriteStringValue("endpoints / containers");
        w.WriteStringValue("rules / ACLs");
        w.WriteEndArray();
        w.WriteStartArray("y");
        w.WriteNumberValue(Math.Round(endpoints, 1));
        w.WriteNumberValue(Math.Round(rules, 1));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private List<string> Notes()
    {
        ScaleParameters p = report.Parameters;
        var notes = new List<string>
        {
            $"Layout: {p.Tenants} tenants x {p.NetworksPerTenant} networks; endpoint i of host h is in network (h x {p.EndpointsPerHost} + i) mod {report.Networks}, so every network spans {p.Hosts * p.EndpointsPerHost / report.Networks:N0} endpoints on many hosts; labels app (one of {p.GroupsPerTenant} per tenant) and tier. Rules: per tenant, spread over the app groups, ingress and egress, peers another app group, a tier group, a network or a CIDR, TCP with one port, one in ten deny, distinct priorities; plus one deny rule for the probe pair.",
            $"Switches are emulated in the benchmark's process, on the same 2 CPUs as the controller; they keep flows keyed by (table, priority, match), apply ADD, DELETE by cookie and DELETE_STRICT, and keep meters. Static flows per switch after provisioning: {report.StaticFlows.Min}/{report.StaticFlows.Average:0.0}/{report.StaticFlows.Max}; meters {report.Meters.Min}/{report.Meters.Average:0.0}/{report.Meters.Max} (min/avg/max).",
            "Emulated flows never idle out (no traffic is simulated), so every conversation opened stays active: the flow counts are those of that many concurrently active conversations.",
            "Memory is the controller process's resident set (VmRSS) and its peak (VmHWM); the managed heap is not exposed by the controller, so it is not reported separately. Per endpoint = RSS growth over the endpoints phase / endpoints.",
        };
        if (report.Probe is ProbeResult probe)
        {
            string enforced = probe.DropFlowOnSource && !probe.Forwarded && probe.PathFlowsAdded == 0
                ? "enforced: the source switch got a drop flow, no PACKET_OUT, no path flows"
                : probe.Forwarded || probe.PathFlowsAdded > 0
                    ? $"NOT enforced on the first-packet path in this build: the packet was forwarded ({probe.PathFlowsAdded} path flows on the destination switch, PACKET_OUT {(probe.Forwarded ? "sent" : "not sent")})"
                    : "neither a drop flow nor a path within 5 s";
            notes.Add($"Policy probe: {probe.Source} -> {probe.Destination} (UDP) is denied by rule {probe.ApiRule ?? "?"}; `GET /v1/policy/decide` answers {probe.ApiVerdict} ({probe.ApiReason}); on the switches: {enforced}.");
        }

        if (report.StatsWhileHolding > 0 || report.UnsupportedDeletes > 0 || report.SwitchErrors > 0)
        {
            notes.Add($"Emulation gaps seen: {report.StatsWhileHolding} stats requests answered empty while entries were held, {report.UnsupportedDeletes} non-strict deletes with a match not applied, {report.SwitchErrors} OFPT_ERROR from the controller.");
        }

        if (loadAverage is not null)
        {
            notes.Add($"Load average when the run started: {loadAverage} (other work shares this machine).");
        }

        return notes;
    }

    private double RulesRate => Phase("policy") is PhaseResult rules ? report.Parameters.Rules / Math.Max(rules.Seconds, 1e-9) : 0;

    private static double Rate(PhaseResult? phase) => phase is null ? 0 : phase.Objects / Math.Max(phase.Seconds, 1e-9);

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string F0(double value) => value.ToString("N0", Invariant);

    private static string F1(double value) => value.ToString("0.0", Invariant);
}
