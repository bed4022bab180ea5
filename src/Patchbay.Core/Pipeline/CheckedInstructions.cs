// An instruction list checked once against one table's declaration, for the many flows that share it: the
// planner builds a conversation's instruction lists from a few values (a MAC, a port, a network id) and hands
// each to every flow with those values, so checking it again per flow would repeat the same work. A flow that
// carries it is checked by PatchbayPipeline.Validate(flow, instructions): its table must be this one.
using Patchbay.OpenFlow.Instructions;

namespace Patchbay.Core.Pipeline;

public sealed class CheckedInstructions
{
    /// <exception cref="PipelineViolationException">The list breaks the declaration of table <paramref name="table"/>.</exception>
    public CheckedInstructions(byte table, IReadOnlyList<OfpInstruction> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        PatchbayPipeline.ValidateInstructions(table, list);
        Table = table;
        List = list;
    }

    public byte Table { get; }

    public IReadOnlyList<OfpInstruction> List { get; }
}
