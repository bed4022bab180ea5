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
        // Arrays (what FlowPlanner builds) are walked directly: IReadOnlyList calls on an array go through interface dispatch (SZArrayHelper).
        if (actions is OfpAction[] array)
        {
            foreach (OfpAction action in array)
            {
                length += action.Length;
            }

            return length;
        }

        int count = actions.Count;
        // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator, and encoding must not allocate.
        for (int i = 0; i < count; i++)
        {
            length += actions[i].Length;
        }

        return length;
    }

    /// <summary>Writes the actions back to back; whoever declares the list's length back-fills it or checks it.</summary>
    public static void Write(ref WireWriter writer, IReadOnlyList<OfpAction> actions)
    {
        if (actions is OfpAction[] array)
        {
            foreach (OfpAction action in array)
            {
                action.Write(ref writer);
            }

            return;
        }

        int count = actions.Count;
        for (int i = 0; i < count; i++)
        {
            actions[i].Write(ref writer);
        }
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
