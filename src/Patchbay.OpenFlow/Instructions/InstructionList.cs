// The instruction list of a flow-mod, flow-removed or flow-stats entry: instructions back to back,
// filling exactly the length the enclosing structure leaves for them.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

public static class InstructionList
{
    public static int Length(IReadOnlyList<OfpInstruction> instructions)
    {
        int length = 0;
        // Arrays (what FlowPlanner builds) are walked directly: IReadOnlyList calls on an array go through interface dispatch (SZArrayHelper).
        if (instructions is OfpInstruction[] array)
        {
            foreach (OfpInstruction instruction in array)
            {
                length += instruction.Length;
            }

            return length;
        }

        int count = instructions.Count;
        // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator, and encoding must not allocate.
        for (int i = 0; i < count; i++)
        {
            length += instructions[i].Length;
        }

        return length;
    }

    /// <summary>Writes the instructions back to back; the enclosing message checks its total against its declared length.</summary>
    public static void Write(ref WireWriter writer, IReadOnlyList<OfpInstruction> instructions)
    {
        if (instructions is OfpInstruction[] array)
        {
            foreach (OfpInstruction instruction in array)
            {
                instruction.Write(ref writer);
            }

            return;
        }

        int count = instructions.Count;
        for (int i = 0; i < count; i++)
        {
            instructions[i].Write(ref writer);
        }
    }

    /// <summary>Reads instructions filling exactly <paramref name="length"/> bytes; <see cref="ProtocolErrorReason.BadInstructionLength"/> if they do not tile it.</summary>
    public static IReadOnlyList<OfpInstruction> Read(ref WireReader reader, int length)
    {
        if (length < 0 || length > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadInstructionLength, $"instruction list of {length} bytes with {reader.Remaining} left");
        }

        WireReader list = reader.Sub(length, ProtocolErrorReason.BadInstructionLength);
        var instructions = new List<OfpInstruction>();
        while (!list.End)
        {
            instructions.Add(OfpInstruction.Read(ref list));
        }

        return instructions;
    }

    /// <summary>Element-wise equality, for records that hold an instruction list.</summary>
    public static bool SequenceEqual(IReadOnlyList<OfpInstruction> left, IReadOnlyList<OfpInstruction> right) =>
        ReferenceEquals(left, right) || (left.Count == right.Count && left.SequenceEqual(right));

    /// <summary>A hash consistent with <see cref="SequenceEqual"/>.</summary>
    public static int SequenceHash(IReadOnlyList<OfpInstruction> instructions)
    {
        var hash = default(HashCode);
        foreach (OfpInstruction instruction in instructions)
        {
            hash.Add(instruction);
        }

        return hash.ToHashCode();
    }
}
