// ToString support for message records: the synthesized ToString prints a list or a byte buffer as its
// type name, which says nothing in a log line or a failed assertion.
using System.Text;

namespace Patchbay.OpenFlow.Messages;

internal static class RecordText
{
    // Packets can be large; a log line needs the start of one and its size, not all of it.
    private const int MaxHexBytes = 64;

    public static StringBuilder List<T>(StringBuilder builder, string name, IReadOnlyList<T> items) =>
        builder.Append(name).Append(" = [").AppendJoin(", ", items).Append(']');

    public static StringBuilder Bytes(StringBuilder builder, string name, ReadOnlyMemory<byte> bytes)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        builder.Append(name).Append(" = ").Append(Convert.ToHexStringLower(span[..Math.Min(span.Length, MaxHexBytes)]));
        return span.Length > MaxHexBytes ? builder.Append("... (").Append(span.Length).Append(" bytes)") : builder;
    }
}
