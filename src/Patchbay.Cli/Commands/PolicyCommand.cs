// `patchbay policy apply|ls|inspect|rm|decide`: the tenant policy of docs/policy.md. apply sends the file
// as it is (YAML or JSON), so the controller's errors name the file's own lines; objects are named
// KIND/NAME (group/web, rule/web-to-db, connection/a--b) or by a bare name that only one kind uses.
using System.CommandLine;
using System.Text.Json.Nodes;
using Patchbay.Cli.Api;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;
using Patchbay.Core.Policy;

namespace Patchbay.Cli.Commands;

internal static class PolicyCommand
{
    private static readonly (string Kind, string Plural)[] Kinds = [("group", "groups"), ("rule", "rules"), ("connection", "connections")];

    private static readonly Column[] Columns =
    [
        Column.Field("KIND", "kind"),
        Column.Field("NAME", "name"),
        Column.Field("TENANT", "tenant"),
        new("DETAIL", Detail),
    ];

    private static readonly Column[] ChangeColumns = [Column.Field("KIND", "kind"), Column.Field("NAME", "name"), Column.Field("CHANGE", "change")];

    private static readonly Column[] DecisionColumns =
    [
        Column.Field("VERDICT", "verdict"),
        Column.Field("REASON", "reason"),
        Column.Field("RULE", "rule"),
        Column.Field("GROUP", "group"),
        Column.Field("CONNECTION", "connection"),
        Column.Field("GRANULARITY", "granularity"),
    ];

    public static Command Create(Func<string, string?> environment)
    {
        var group = new ApiCommandGroup("policy", "Tenant policy: groups of endpoints, rules between them, connections between pairs", environment);
        group.Command.WithExamples("patchbay policy apply -f policy.yaml", "patchbay policy ls", "patchbay policy decide web1 db1 --port 5432");
        CreateApply(group);
        CreateLs(group);
        CreateInspect(group);
        CreateRm(group);
        CreateDecide(group);
        return group.Command;
    }

    private static void CreateApply(ApiCommandGroup group)
    {
        var file = new Option<string>("--file", "-f") { Description = "The policy document (YAML or JSON); - reads standard input", HelpName = "FILE", Required = true };
        var output = OutputOption.Create();
        var command = new Command("apply", "Create or update every group, rule and connection of a document (idempotent; objects it does not name stay)") { file, output }
            .WithExamples("patchbay policy apply -f policy.yaml", "patchbay policy apply -f policy.yaml -o json");
        group.Add(command, async (run, cancellationToken) =>
        {
            var path = run.ParseResult.GetRequiredValue(file);
            string text;
            try
            {
                text = path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUserException($"cannot read {path}: {e.Message}");
            }

            var name = path == "-" ? "stdin" : path;

            // The form is checked here too, so that every problem prints on its own line before anything is sent;
            // what needs the controller's state (references, tenants, networks) comes back from it.
            try
            {
                _ = PolicyDocument.Parse(text, name);
            }
            catch (PolicyDocumentException e)
            {
                throw new CliUserException(string.Join(Environment.NewLine, e.Errors));
            }

            var result = await run.Api.PostTextAsync(ControllerApi.WithQuery("v1/policy/apply", [new("file", name)]), text, "application/yaml", cancellationToken)
                ?? throw new CliUserException("POST /v1/policy/apply answered an empty body");
            var changes = result["changes"] as JsonArray ?? [];
            var format = OutputOption.Parse(run.ParseResult.GetRequiredValue(output));
            if (format == OutputFormat.Table)
            {
                foreach (var change in changes.OfType<JsonObject>())
                {
                    await run.Output.WriteLineAsync($"{Column.Text(change["kind"])}/{Column.Text(change["name"])} {Column.Text(change["change"])}");
                }

                if (result["revoked"] is JsonValue revoked && revoked.TryGetValue(out int count) && count > 0)
                {
                    await run.Output.WriteLineAsync($"{count} live conversation{(count == 1 ? "" : "s")} revoked");
                }

                return;
            }

            await Printer.WriteListAsync(run.Output, format, changes, null, ChangeColumns);
        });
    }

    private static void CreateLs(ApiCommandGroup group)
    {
        var kind = new Option<string?>("--kind") { Description = "Only this kind", HelpName = "group|rule|connection" };
        kind.AcceptOnlyFromAmong([.. Kinds.Select(k => k.Kind)]);
        var tenant = new Option<string?>("--tenant") { Description = "Only objects of this tenant", HelpName = "tenant" };
        var output = OutputOption.Create();
        var command = new Command("ls", "List groups, rules and connections") { kind, tenant, output }
            .WithExamples("patchbay policy ls", "patchbay policy ls --kind rule --tenant acme -o yaml");
        group.Add(command, async (run, cancellationToken) =>
        {
            var items = new JsonArray();
            var only = run.ParseResult.GetValue(kind);
            List<KeyValuePair<string, string>> query = run.ParseResult.GetValue(tenant) is { Length: > 0 } t ? [new("tenant", t)] : [];
            foreach (var (singular, plural) in Kinds.Where(k => only is null || k.Kind == only))
            {
                foreach (var item in (await run.Api.ListAllAsync("v1/policy/" + plural, query, cancellationToken)).OfType<JsonObject>().ToList())
                {
                    item.Parent?.AsArray().Remove(item);
                    var entry = new JsonObject { ["kind"] = singular };
                    foreach (var (key, value) in item.ToList())
                    {
                        item.Remove(key);
                        entry[key] = value;
                    }

                    items.Add(entry);
                }
            }

            await Printer.WriteListAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), items, null, Columns);
        });
    }

    private static void CreateInspect(ApiCommandGroup group)
    {
        var name = new Argument<string>("NAME") { Description = "KIND/NAME (group/web, rule/allow-http, connection/a--b), or a name only one kind uses" };
        var output = OutputOption.Create();
        var command = new Command("inspect", "Show every field of one group, rule or connection (a group with its current members)") { name, output }
            .WithExamples("patchbay policy inspect group/web", "patchbay policy inspect allow-http -o yaml");
        group.Add(command, async (run, cancellationToken) =>
        {
            var path = await ResolveAsync(run, run.ParseResult.GetRequiredValue(name), cancellationToken);
            await Printer.WriteDetailsAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), await run.Api.GetAsync(path, cancellationToken));
        });
    }

    private static void CreateRm(ApiCommandGroup group)
    {
        var name = new Argument<string>("NAME") { Description = "KIND/NAME (group/web, rule/allow-http, connection/a--b), or a name only one kind uses" };
        var command = new Command("rm", "Delete a group, rule or connection (a group still named by a rule or connection is refused)") { name }
            .WithExamples("patchbay policy rm rule/allow-http", "patchbay policy rm connection/web1--db1");
        group.Add(command, async (run, cancellationToken) =>
        {
            var target = run.ParseResult.GetRequiredValue(name);
            var path = await ResolveAsync(run, target, cancellationToken);
            await run.Api.DeleteAsync(path, cancellationToken);
            await run.Output.WriteLineAsync($"{path["v1/policy/".Length..].Replace("s/", "/", StringComparison.Ordinal)} removed");
        });
    }

    private static void CreateDecide(ApiCommandGroup group)
    {
        var source = new Argument<string>("SRC") { Description = "The source endpoint" };
        var destination = new Argument<string>("DST") { Description = "The destination endpoint" };
        var proto = new Option<string?>("--proto") { Description = "IP protocol (default: tcp with --port, else icmp)", HelpName = "tcp|udp|icmp" };
        proto.AcceptOnlyFromAmong("tcp", "udp", "icmp");
        var port = new Option<int?>("--port") { Description = "Destination port (tcp and udp)", HelpName = "N" };
        var output = OutputOption.Create();
        var command = new Command("decide", "What the policy decides for a first packet from SRC to DST, and why") { source, destination, proto, port, output }
            .WithExamples("patchbay policy decide web1 web2", "patchbay policy decide web1 db1 --port 5432 -o json");
        group.Add(command, async (run, cancellationToken) =>
        {
            List<KeyValuePair<string, string>> query =
            [
                new("src", run.ParseResult.GetRequiredValue(source)),
                new("dst", run.ParseResult.GetRequiredValue(destination)),
            ];
            if (run.ParseResult.GetValue(proto) is { } p)
            {
                query.Add(new("proto", p));
            }

            if (run.ParseResult.GetValue(port) is int n)
            {
                query.Add(new("port", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var decision = await run.Api.GetAsync(ControllerApi.WithQuery("v1/policy/decide", query), cancellationToken);
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), decision, DecisionColumns);
        });
    }

    /// <summary>The API path of KIND/NAME, or of the one kind that has NAME (an error when none or several do).</summary>
    private static async Task<string> ResolveAsync(ApiRun run, string target, CancellationToken cancellationToken)
    {
        int slash = target.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var kind = target[..slash];
            var plural = Kinds.FirstOrDefault(k => k.Kind == kind).Plural
                ?? throw new CliUserException($"'{kind}' is not a policy kind; use group/NAME, rule/NAME or connection/NAME");
            return $"v1/policy/{plural}/{Uri.EscapeDataString(target[(slash + 1)..])}";
        }

        var found = new List<string>();
        foreach (var (singular, plural) in Kinds)
        {
            var items = await run.Api.ListAllAsync("v1/policy/" + plural, [], cancellationToken);
            if (items.OfType<JsonObject>().Any(i => Column.Text(i["name"]) == target))
            {
                found.Add(singular);
            }
        }

        return found.Count switch
        {
            0 => throw new CliUserException($"no group, rule or connection is called '{target}' (patchbay policy ls)"),
            1 => $"v1/policy/{Kinds.First(k => k.Kind == found[0]).Plural}/{Uri.EscapeDataString(target)}",
            _ => throw new CliUserException($"'{target}' names a {string.Join(" and a ", found)}; say which: {string.Join(" or ", found.Select(k => k + "/" + target))}"),
        };
    }

    private static string Detail(JsonObject item) => Column.Text(item["kind"]) switch
    {
        "group" => item["selector"] is JsonObject selector && selector.Count > 0
            ? string.Join(' ', new[] { Column.Text(selector["matchLabels"]), Column.Text(selector["matchExpressions"]?.AsArray().Select(e => (JsonNode?)JsonValue.Create($"{Column.Text(e?["key"])} {Column.Text(e?["operator"])} {Column.Text(e?["values"])}")).ToJsonArray()) }.Where(s => s != Column.Missing))
            : "every endpoint of the tenant",
        "rule" => $"{Column.Text(item["direction"])} {Column.Text(item["action"])} {Column.Text(item["protocol"])}{(item["ports"] is JsonArray { Count: > 0 } ports ? "/" + Column.Text(ports) : "")} {Peers(item["peers"])} priority {Column.Text(item["priority"])}",
        _ => $"{Column.Text(item["action"])} {Target(item["a"])} {Target(item["b"])}",
    };

    private static string Peers(JsonNode? peers) =>
        peers is JsonArray list ? string.Join(',', list.OfType<JsonObject>().Select(p => string.Join(',', p.Select(kv => $"{kv.Key} {Column.Text(kv.Value)}")))) : Column.Missing;

    private static string Target(JsonNode? target) =>
        target is JsonObject side ? string.Join(',', side.Select(kv => kv.Key == "endpoint" ? Column.Text(kv.Value) : $"{kv.Key}/{Column.Text(kv.Value)}")) : Column.Missing;

    private static JsonArray ToJsonArray(this IEnumerable<JsonNode?> nodes) => [.. nodes];
}
