// Thrown when a flow breaks its table's declaration: a planner bug caught before the flow reaches a switch.
namespace Patchbay.Core.Pipeline;

public sealed class PipelineViolationException : Exception
{
    public PipelineViolationException()
        : this("the flow breaks the pipeline")
    {
    }

    public PipelineViolationException(string message)
        : base(message)
    {
        Rule = message;
    }

    public PipelineViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rule = message;
    }

    public PipelineViolationException(byte table, string? field, string rule)
        : base($"table {table} ({PatchbayPipeline.NameOf(table)}): {(field is null ? "" : field + ": ")}{rule}")
    {
        Table = table;
        Field = field;
        Rule = rule;
    }

    /// <summary>The table the offending flow is for.</summary>
    public byte Table { get; }

    /// <summary>The match field, set-field, instruction or action at fault; null when the flow as a whole is.</summary>
    public string? Field { get; }

    /// <summary>The rule the flow breaks.</summary>
    public string Rule { get; }
}
