// The policy-change run as a bench result fragment (bench/README.md: suite, title, command, seconds, summary,
// tables, figures, notes) and as markdown for the console.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Patchbay.PolicyChange;

public sealed class PolicyChangeFragment(PolicyChangeReport report, string command, string? loadAverage)
{
    private const double TargetMs = 1000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Key, string Label, string How)[] Changes =
    [
        ("narrow", "disconnect of two groups (10 %)", "POST /v1/disconnect of groups slice 0 and slice 1"),
        ("all", "deny rule over everything (100 %)", "POST /v1/policy/apply of one deny rule"),
    ];

    /// <summary>Whether every change met the target and removed exactly what it had to.</summary>
    public bool Passed => report.Samples.All(s => s.LastBarrierMs < TargetMs && s.Revoked == s.Affected && s.Deletes == 2 * s.Affected);

    public byte[] Json()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("suite", "policy-change");
            w.WriteString("title", "Policy change to live traffic (issue #5)");
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
            w.WriteStartObject();
            w.WriteString("file", "policy-change-revocation");
            w.WriteString("kind", "bars");
            w.WriteString("title", $"Policy change to last flow removed, {report.Options.Conversations:N0} live conversations");
            w.WriteString("xLabel", "change");
            w.WriteString("yLabel", "ms (request sent to last delete's barrier)");
            w.WriteStartArray("series");
            foreach ((string name, Func<double[], double> statistic) in new (string, Func<double[], double>)[] { ("p50", Median), ("max", v => v.Max()) })
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteStartArray("x");
                foreach ((_, string label, _) in Changes)
                {
                    w.WriteStringValue(label);
                }

                w.WriteEndArray();
                w.WriteStartArray("y");
                foreach ((string key, _, _) in Changes)
                {
                    w.WriteNumberValue(Math.Round(statistic(Values(key, s => s.LastBarrierMs)), 1));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
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
        text.Append(CultureInfo.InvariantCulture, $"## Policy change to live traffic (issue #5)\n\n{Summary()}\n\n");
        foreach ((string caption, string[] columns, List<string[]> rows) in Tables())
        {
            text.Append(CultureInfo.InvariantCulture, $"{caption}\n\n| {string.Join(" | ", columns)} |\n|{string.Concat(columns.Select(_ => "---|"))}\n");
            foreach (string[] row in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {string.Join(" | ", row)} |\n");
            }

            text.Append('\n');
        }

        foreach (string note in Notes())
        {
            text.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }

        return text.ToString();
    }

    private string Summary()
    {
        PolicyChangeOptions o = report.Options;
        double worst = report.Samples.Max(s => s.LastBarrierMs);
        string verdict = Passed
            ? $"every change had its last delete flow-mod applied (barrier answered) within **{worst.ToString("0.0", Invariant)} ms** of the request at worst; the target is < 1 s"
            : $"**the target was missed or a change removed the wrong flows** (worst {worst.ToString("0.0", Invariant)} ms; see the table)";
        return $"The real controller (`patchbay controller`, SQLite store, REST API on a unix socket) with {o.Hosts} emulated OpenFlow "
            + $"switches on loopback, {report.Endpoints:N0} endpoints in one network labelled into 10 slices, and **{o.Conversations:N0} live conversations** "
            + "opened by first packets (each holds 2 flows on each of its 2 switches). Each change is timed from the moment its API request is sent "
            + "to the last delete flow-mod (by cookie) any switch received and to the barrier that followed it, i.e. the switch has applied it; "
            + $"the API answers only after that barrier. Over {o.Repetitions} repetitions of each change, {verdict}. "
            + $"{Median(Values("narrow", s => s.LastBarrierMs)).ToString("0.0", Invariant)} ms (p50) to revoke 10 % and "
            + $"{Median(Values("all", s => s.LastBarrierMs)).ToString("0.0", Invariant)} ms (p50) to revoke all of them.";
    }

    private IEnumerable<(string Caption, string[] Columns, List<string[]> Rows)> Tables()
    {
        var summary = new List<string[]>();
        foreach ((string key, string label, string how) in Changes)
        {
            ChangeSample[] samples = [.. report.Samples.Where(s => s.Change == key)];
            if (samples.Length == 0)
            {
                continue;
            }

            summary.Add(
            [
                label,
                how,
                samples[0].Affected.ToString("N0", Invariant),
                samples.Length.ToString(Invariant),
                Ms(Median([.. samples.Select(s => s.LastDeleteMs)])),
                Ms(samples.Max(s => s.LastDeleteMs)),
                Ms(Median([.. samples.Select(s => s.LastBarrierMs)])),
                Ms(samples.Max(s => s.LastBarrierMs)),
                Ms(Median([.. samples.Select(s => s.AnswerMs)])),
                Ms(samples.Max(s => s.AnswerMs)),
            ]);
        }

        yield return (
            $"From the request to the last flow removed, {report.Options.Conversations:N0} live conversations on {report.Options.Hosts} switches",
            ["change", "request", "conversations revoked", "runs", "last delete p50 (ms)", "last delete max (ms)", "its barrier p50 (ms)", "its barrier max (ms)", "API answer p50 (ms)", "API answer max (ms)"],
            summary);

        yield return (
            "Every run: what the API reported and what the switches received",
            ["change", "run", "revoked (API)", "delete flow-mods", "flows left", "last delete (ms)", "barrier (ms)", "answer (ms)"],
            [.. report.Samples.Select((s, i) => new[]
            {
                s.Change,
                (report.Samples.Take(i).Count(p => p.Change == s.Change) + 1).ToString(Invariant),
                s.Revoked.ToString("N0", Invariant),
                s.Deletes.ToString("N0", Invariant),
                s.FlowsLeft.ToString("N0", Invariant),
                Ms(s.LastDeleteMs),
                Ms(s.LastBarrierMs),
                Ms(s.AnswerMs),
            })]);
    }

    private IEnumerable<string> Notes()
    {
        yield return $"Setup (not timed in the result): {report.Endpoints:N0} endpoints and {PolicyChangeRun.Slices + 1} groups provisioned through the API in "
            + $"{report.ProvisionSeconds.ToString("0.0", Invariant)} s; the {report.Options.Conversations:N0} conversations opened in {report.OpenSeconds.ToString("0.0", Invariant)} s. "
            + "After each change the benchmark undoes it (a loosening: nothing is revoked) and re-opens the revoked conversations with first packets, so every run starts from the full set.";
        yield return "Checked in every run: the API's revoked count equals the conversations the change covers, the switches received exactly one delete per conversation per switch "
            + "(2 per conversation), and the conversations the change does not cover keep their flows (the switches hold exactly 4 flows for each of them afterwards).";
        yield return "The switches are emulated in the benchmark's process (they keep flows by cookie and answer barriers at once), so the figure is the controller's part: "
            + "re-deciding the live conversations the change may affect, ending them and queueing the deletes, and the barrier round trip; a real OVS adds the time it takes to apply 2 deletes per conversation.";
        if (report.SwitchErrors > 0)
        {
            yield return $"The switches received {report.SwitchErrors} OpenFlow errors from the controller's point of view (ERROR messages); see the controller log.";
        }

        yield return $"2-core machine shared with other work{(loadAverage is null ? "" : $"; load average {loadAverage} at the start")}; controller and switches share the cores.";
    }

    private double[] Values(string change, Func<ChangeSample, double> value) => [.. report.Samples.Where(s => s.Change == change).Select(value)];

    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Ms(double value) => value.ToString("0.0", Invariant);
}
