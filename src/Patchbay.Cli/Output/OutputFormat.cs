// `-o table|json|yaml`: the one output option every API command that prints resources shares.
using System.CommandLine;

namespace Patchbay.Cli.Output;

internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}

internal static class OutputOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format",
            DefaultValueFactory = _ => "table",
            HelpName = "table|json|yaml",
        };
        option.AcceptOnlyFromAmong("table", "json", "yaml");
        return option;
    }

    public static OutputFormat Parse(string value) => value switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };
}
