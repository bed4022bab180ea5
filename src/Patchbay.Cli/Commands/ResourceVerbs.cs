// The verbs every API resource shares (ls, inspect, rm, label), built once and parameterised by the resource:
// its URL, its table columns and the list filters it supports.
using System.CommandLine;
using System.Text.Json.Nodes;
using Patchbay.Cli.Help;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

/// <summary>An API resource: "network" at /v1/networks, shown in a table with these columns, named by <paramref name="Key"/>.</summary>
internal sealed record ResourceKind(string Singular, string Plural, IReadOnlyList<Column> Columns, string Key = "name")
{
    public string Path => "v1/" + Plural;

    public string Item(string name) => Path + "/" + Uri.EscapeDataString(name);
}

/// <summary>A list filter: `--NAME VALUE` sent as the query parameter NAME; <paramref name="Values"/> limits it when given.</summary>
internal sealed record ListFilter(string Name, string Description, params string[] Values);

internal static class ResourceVerbs
{
    private const int MaxLimit = 1000;

    public static Command Ls(ApiCommandGroup group, ResourceKind kind, IReadOnlyList<ListFilter> filters, bool labels, params string[] examples)
    {
        var options = filters.Select(f =>
        {
            var option = new Option<string?>("--" + f.Name) { Description = f.Description, HelpName = f.Values.Length > 0 ? string.Join('|', f.Values) : f.Name };
            if (f.Values.Length > 0)
            {
                option.AcceptOnlyFromAmong(f.Values);
            }

            return (f.Name, Option: option);
        }).ToList();
        var label = labels ? LabelSelectorOption() : null;
        var limit = new Option<int?>("--limit") { Description = $"Print one page of at most N items (1-{MaxLimit}) instead of following every page", HelpName = "N" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > MaxLimit)
            {
                result.AddError($"--limit must be 1-{MaxLimit}");
            }
        });
        var next = new Option<string?>("--continue") { Description = "Print the page that starts at this token (from a previous --limit page)", HelpName = "token" };
        var output = OutputOption.Create();
        var command = new Command("ls", $"List {kind.Plural}, following every page unless --limit is given");
        foreach (var (_, option) in options)
        {
            command.Options.Add(option);
        }

        if (label is not null)
        {
            command.Options.Add(label);
        }

        command.Options.Add(limit);
        command.Options.Add(next);
        command.Options.Add(output);
        command.WithExamples(examples);
        return group.Add(command, async (run, cancellationToken) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            foreach (var (name, option) in options)
            {
                if (run.ParseResult.GetValue(option) is { Length: > 0 } value)
                {
                    query.Add(new(name, value));
                }
            }

            foreach (var selector in label is null ? [] : run.ParseResult.GetValue(label) ?? [])
            {
                query.Add(new("label", selector));
            }

            var format = OutputOption.Parse(run.ParseResult.GetRequiredValue(output));
            var pageLimit = run.ParseResult.GetValue(limit);
            var token = run.ParseResult.GetValue(next);
            if (pageLimit is null && token is null)
            {
                await Printer.WriteListAsync(run.Output, format, await run.Api.ListAllAsync(kind.Path, query, cancellationToken), null, kind.Columns);
                return;
            }

            var page = await run.Api.ListPageAsync(kind.Path, query, pageLimit, token, cancellationToken);
            await Printer.WriteListAsync(run.Output, format, page.Items, page.Continue, kind.Columns);
            if (format == OutputFormat.Table && page.Continue is not null)
            {
                await run.Error.WriteLineAsync($"More {kind.Plural}: add --continue {page.Continue}");
            }
        });
    }

    public static Command Inspect(ApiCommandGroup group, ResourceKind kind, params string[] examples)
    {
        var name = NameArgument(kind);
        var output = OutputOption.Create();
        var command = new Command("inspect", $"Show every field of one {kind.Singular}") { name, output };
        command.WithExamples(examples);
        return group.Add(command, async (run, cancellationToken) =>
        {
            var item = await run.Api.GetAsync(kind.Item(run.ParseResult.GetRequiredValue(name)), cancellationToken);
            await Printer.WriteDetailsAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), item);
        });
    }

    public static Command Rm(ApiCommandGroup group, ResourceKind kind, string description, params string[] examples)
    {
        var name = NameArgument(kind);
        var command = new Command("rm", description) { name };
        command.WithExamples(examples);
        return group.Add(command, async (run, cancellationToken) =>
        {
            var target = run.ParseResult.GetRequiredValue(name);
            await run.Api.DeleteAsync(kind.Item(target), cancellationToken);
            await run.Output.WriteLineAsync($"{kind.Singular} '{target}' removed");
        });
    }

    public static Command Label(ApiCommandGroup group, ResourceKind kind, params string[] examples)
    {
        var name = NameArgument(kind);
        var set = LabelOption($"Set label KEY to VALUE on the {kind.Singular} (repeatable)");
        var remove = new Option<string[]>("--remove") { Description = "Remove the label KEY (repeatable)", HelpName = "KEY" };
        var output = OutputOption.Create();
        var command = new Command("label", $"Set or remove labels of a {kind.Singular}; prints the {kind.Singular} after the change") { name, set, remove, output };
        command.WithExamples(examples);
        return group.Add(command, async (run, cancellationToken) =>
        {
            var labels = new JsonObject();
            foreach (var (key, value) in ParseLabels(run.ParseResult.GetValue(set)))
            {
                labels[key] = value;
            }

            foreach (var key in run.ParseResult.GetValue(remove) ?? [])
            {
                labels[key] = null;
            }

            if (labels.Count == 0)
            {
                throw new Api.CliUserException("nothing to change: give --label KEY=VALUE or --remove KEY");
            }

            // JSON merge patch: a key with null removes the label, every other key sets it.
            var changed = await run.Api.PatchAsync(kind.Item(run.ParseResult.GetRequiredValue(name)), new JsonObject { ["labels"] = labels }, cancellationToken)
                ?? await run.Api.GetAsync(kind.Item(run.ParseResult.GetRequiredValue(name)), cancellationToken);
            await Printer.WriteOneAsync(run.Output, OutputOption.Parse(run.ParseResult.GetRequiredValue(output)), changed, kind.Columns);
        });
    }

    public static Argument<string> NameArgument(ResourceKind kind) => new(kind.Key.ToUpperInvariant()) { Description = $"The {kind.Singular}'s {kind.Key}" };

    /// <summary>`--label KEY=VALUE`, repeatable, each checked to have a non-empty key.</summary>
    public static Option<string[]> LabelOption(string description)
    {
        var option = new Option<string[]>("--label") { Description = description, HelpName = "KEY=VALUE" };
        option.Validators.Add(result =>
        {
            foreach (var label in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (label.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"--label '{label}' is not KEY=VALUE");
                }
            }
        });
        return option;
    }

    /// <summary>KEY=VALUE pairs in the order given; a later KEY wins.</summary>
    public static Dictionary<string, string> ParseLabels(string[]? labels)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels ?? [])
        {
            var split = label.IndexOf('=', StringComparison.Ordinal);
            parsed[label[..split]] = label[(split + 1)..];
        }

        return parsed;
    }

    private static Option<string[]> LabelSelectorOption()
    {
        var option = new Option<string[]>("--label") { Description = "Only items with label KEY=VALUE, or with label KEY at all (repeatable; all must match)", HelpName = "KEY[=VALUE]" };
        option.Validators.Add(result =>
        {
            foreach (var label in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (label.Length == 0 || label[0] == '=')
                {
                    result.AddError($"--label '{label}' is not KEY or KEY=VALUE");
                }
            }
        });
        return option;
    }
}
