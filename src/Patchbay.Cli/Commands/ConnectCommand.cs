// `patchbay connect A B` / `patchbay disconnect A B` (DaoliNet): the pair's connection, one per pair in
// either order, allowing or refusing every conversation between them whatever the rules say. A side is an
// endpoint name or group/NAME. It returns once the change is in force on the switches; REVOKED counts the live
// conversations it ended.
using System.CommandLine;
using System.Text.Json.Nodes;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class ConnectCommand
{
    private static readonly Column[] Columns =
    [
        Column.Field("NAME", "name"),
        Column.Field("TENANT", "tenant"),
        Column.Field("ACTION", "action"),
        new("A", o => Side(o["a"])),
        new("B", o => Side(o["b"])),
        Column.Field("REVOKED", "revoked"),
    ];

    public static Command Create(Func<string, string?> environment, bool connect)
    {
        var verb = connect ? "connect" : "disconnect";
        var group = new ApiCommandGroup(
            verb,
            connect
                ? "Let two endpoints or groups talk, whatever the rules and defaults say (a disconnect of the pair is replaced)"
                : "Keep two endpoints or groups apart, whatever the rules or a connect say (a connect of the pair is replaced)",
            environment);
        var a = new Argument<string>("A") { Description = "An endpoint name, or group/NAME" };
        var b = new Argument<string>("B") { Description = "An endpoint name, or group/NAME" };
        var tenant = new Option<string?>("--tenant") { Description = "The connection's tenant (default: side A's)", HelpName = "tenant" };
        var name = new Option<string?>("--name") { Description = "Name a new connection (default: made of the pair)", HelpName = "name" };
        var output = OutputOption.Create();
        group.Command.Arguments.Add(a);
        group.Command.Arguments.Add(b);
        group.Command.Options.Add(tenant);
        group.Command.Options.Add(name);
        group.Command.Options.Add(output);
        group.Command.WithExamples($"patchbay {verb} web1 db1", $"patchbay {verb} group/web group/db -o json");
        group.Run(async (run, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["a"] = Target(run.ParseResult.GetRequiredValue(a)),
                ["b"] = Target(run.ParseResult.GetRequiredValue(b)),
            };
            if (run.ParseResult.GetValue(tenant) is { Length: > 0 } t)
            {
                body["tenant"] = t;
            }

            if (run.ParseResult.GetValue(name) is { Length: > 0 } n)
            {
                body["name"] = n;
            }

            var connection = await run.Api.PostAsync("v1/" + verb, body, cancellationToken) ?? body;
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), connection, Columns);
        });
        return group.Command;
    }

    private static JsonObject Target(string side) =>
        side.StartsWith("group/", StringComparison.Ordinal) ? new JsonObject { ["group"] = side["group/".Length..] }
        : side.StartsWith("endpoint/", StringComparison.Ordinal) ? new JsonObject { ["endpoint"] = side["endpoint/".Length..] }
        : new JsonObject { ["endpoint"] = side };

    private static string Side(JsonNode? node) =>
        node is JsonObject side ? string.Join(',', side.Select(kv => kv.Key == "endpoint" ? Column.Text(kv.Value) : $"{kv.Key}/{Column.Text(kv.Value)}")) : Column.Missing;
}
