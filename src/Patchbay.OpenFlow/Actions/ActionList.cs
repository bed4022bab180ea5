// An action list as it appears in instructions, packet-outs and group buckets: actions back to back,
// each a multiple of 8 bytes, filling exactly the length the enclosing structure declares.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

public static class ActionList
{
    public static int Length(IReadOnlyList<OfpAction> actions)
    {
        int length = 0;
        // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator, and encoding must not allocate.
        for (int i = 0; i < actions.Count; i++)
        {
            length += actions[i].Length;
        }

        return length;
    }

    public static void Write(ref WireWriter writer, IReadOnlyList<OfpAction> actions)
    {
        int start = writer.Position;
        for (int i = 0; i < actions.Count; i++)
        {
            actions[i].Write(ref writer);
        }

        Declared.Check(Length(actions), writer.Position - start, "action list");
    }

    /// <summary>Reads actions filling exactly <paramref name="length"/> bytes; <see cref="ProtocolErrorReason.BadActionLength"/> if they do not tile it.</summary>
    public static IReadOnlyList<OfpAction> Read(ref WireReader reader, int length)
    {
        if (length < 0 || length > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"action list of {length} bytes with {reader.Remaining} left");
        }

        WireReader list = reader.Sub(length, ProtocolErrorReason.BadActionLength);
        var actions = new List<OfpAction>();
        while (!list.End)
        {
            actions.Add(OfpAction.Read(ref list));
        }

        return actions;
    }

    /// <summary>Element-wise equality, for records that hold an action list.</summary>
    public static bool SequenceEqual(IReadOnlyList<OfpAction> left, IReadOnlyList<OfpAction> right) =>
        ReferenceEquals(left, right) || (left.Count == right.Count && left.SequenceEqual(right));

    /// <summary>Appends "Actions = [...]" for a record's ToString, listing the actions rather than the list's type name.</summary>
    internal static void Print(StringBuilder builder, IReadOnlyList<OfpAction> actions) =>
        builder.Append("Actions = [").AppendJoin(", ", actions).Append(']');

    /// <summary>A hash consistent with <see cref="SequenceEqual"/>.</summary>
    public static int SequenceHash(IReadOnlyList<OfpAction> actions)
    {
        var hash = default(HashCode);
        foreach (OfpAction action in actions)
        {
            hash.Add(action);
        }

        return hash.ToHashCode();
    }
}
