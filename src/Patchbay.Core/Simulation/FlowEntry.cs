// A snapshot of one flow entry in the model, with its counters: what `ovs-ofctl dump-flows` shows, and
// what a FLOW stats reply carries (ToFlowStats).
using System.Text;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Simulation;

public sealed record FlowEntry(
    byte TableId,
    ushort Priority,
    ulong Cookie,
    OfpMatch Match,
    IReadOnlyList<OfpInstruction> Instructions,
    ushort IdleTimeout,
    ushort HardTimeout,
    FlowModFlags Flags,
    ulong PacketCount,
    ulong ByteCount,
    TimeSpan Duration,
    TimeSpan IdleAge)
{
    /// <summary>True for the lowest-priority catch-all flow of a table: packets it sends to the controller say NO_MATCH.</summary>
    public bool IsTableMiss => Priority == 0 && Match.Fields.Count == 0;

    public FlowStats ToFlowStats() => new()
    {
        TableId = TableId,
        DurationSec = (uint)Duration.TotalSeconds,
        DurationNsec = (uint)(Duration.Ticks % TimeSpan.TicksPerSecond * 100),
        Priority = Priority,
        IdleTimeout = IdleTimeout,
        HardTimeout = HardTimeout,
        Flags = Flags,
        Cookie = Cookie,
        PacketCount = PacketCount,
        ByteCount = ByteCount,
        Match = Match,
        Instructions = Instructions,
    };

    public bool Equals(FlowEntry? other) =>
        other is not null
        && TableId == other.TableId
        && Priority == other.Priority
        && Cookie == other.Cookie
        && Match.Equals(other.Match)
        && InstructionList.SequenceEqual(Instructions, other.Instructions)
        && IdleTimeout == other.IdleTimeout
        && HardTimeout == other.HardTimeout
        && Flags == other.Flags
        && PacketCount == other.PacketCount
        && ByteCount == other.ByteCount
        && Duration == other.Duration
        && IdleAge == other.IdleAge;

    public override int GetHashCode() => HashCode.Combine(TableId, Priority, Cookie, Match, PacketCount);

    // One line in the spirit of ovs-ofctl dump-flows, for trace output and failing assertions.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"table={TableId}, priority={Priority}, cookie=0x{Cookie:x}, n_packets={PacketCount}, n_bytes={ByteCount}");
        if (IdleTimeout != 0)
        {
            builder.Append($", idle_timeout={IdleTimeout}");
        }

        if (HardTimeout != 0)
        {
            builder.Append($", hard_timeout={HardTimeout}");
        }

        builder.Append(", match=[").AppendJoin(", ", Match.Fields).Append("], instructions=[").AppendJoin(", ", Instructions).Append(']');
        return true;
    }
}
