// struct ofp_instruction_actions (spec 1.3.5, 7.2.4): type, len = 8 + actions, pad[4], then the actions.
// Used by write-actions and apply-actions; clear-actions is the same header with no actions (len = 8).
using System.Text;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

/// <summary>Merges <paramref name="Actions"/> into the packet's action set, run at the end of the pipeline.</summary>
public sealed record WriteActionsInstruction(IReadOnlyList<OfpAction> Actions) : OfpInstruction
{
    public override OfpInstructionType InstructionType => OfpInstructionType.WriteActions;

    public override int Length => MinSize + ActionList.Length(Actions);

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.Pad(4);
        ActionList.Write(ref writer, Actions);
    }

    // Records compare lists by reference; a decoded instruction must equal the one that was sent.
    public bool Equals(WriteActionsInstruction? other) => other is not null && ActionList.SequenceEqual(Actions, other.Actions);

    public override int GetHashCode() => ActionList.SequenceHash(Actions);

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        ActionList.Print(builder.Append(", "), Actions);
        return true;
    }
}

/// <summary>Runs <paramref name="Actions"/> on the packet immediately, in order.</summary>
public sealed record ApplyActionsInstruction(IReadOnlyList<OfpAction> Actions) : OfpInstruction
{
    public override OfpInstructionType InstructionType => OfpInstructionType.ApplyActions;

    public override int Length => MinSize + ActionList.Length(Actions);

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.Pad(4);
        ActionList.Write(ref writer, Actions);
    }

    public bool Equals(ApplyActionsInstruction? other) => other is not null && ActionList.SequenceEqual(Actions, other.Actions);

    public override int GetHashCode() => ActionList.SequenceHash(Actions);

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        ActionList.Print(builder.Append(", "), Actions);
        return true;
    }
}

/// <summary>Empties the packet's action set.</summary>
public sealed record ClearActionsInstruction : OfpInstruction
{
    public const int Size = 8;

    public override OfpInstructionType InstructionType => OfpInstructionType.ClearActions;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}
