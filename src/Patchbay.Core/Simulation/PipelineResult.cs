// What the model answers for one packet: the path through the tables (which flow matched where), what
// became of the packet (outputs with the rewritten bytes, packet-ins, or a drop and why) and the meters it
// passed. The same shape will back `patchbay trace`.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Simulation;

/// <summary>One table visit: the flow that matched, or null when the table had no matching flow.</summary>
public sealed record PipelineStep(byte TableId, FlowEntry? Flow)
{
    public bool IsMiss => Flow is null;
}

public abstract record PacketOutcome;

/// <summary>The packet left through <paramref name="Port"/> with these bytes.</summary>
public sealed record PacketForwarded(uint Port, byte[] Frame) : PacketOutcome
{
    public bool Equals(PacketForwarded? other) => other is not null && Port == other.Port && Frame.AsSpan().SequenceEqual(other.Frame);

    public override int GetHashCode() => HashCode.Combine(Port, Frame.Length);
}

/// <summary>An output to CONTROLLER: the PACKET_IN the switch sends.</summary>
public sealed record PacketToController(byte TableId, PacketInReason Reason, ushort MaxLen, ulong Cookie, uint InPort, ulong Metadata, byte[] Frame) : PacketOutcome
{
    /// <summary>
    /// The PACKET_IN as a switch without buffers sends it: match with in_port (and metadata when non-zero, as OVS
    /// does), data cut to max_len unless max_len is OFPCML_NO_BUFFER.
    /// </summary>
    public PacketIn ToPacketIn()
    {
        List<OxmField> fields = [Oxm.InPort(InPort)];
        if (Metadata != 0)
        {
            fields.Add(Oxm.Metadata(Metadata));
        }

        int length = MaxLen == OfpControllerMaxLen.NoBuffer ? Frame.Length : Math.Min(MaxLen, Frame.Length);
        return new PacketIn(OpenFlow.OfpConstants.NoBuffer, (ushort)Frame.Length, Reason, TableId, Cookie, new OfpMatch(fields), Frame.AsMemory(0, length));
    }

    public bool Equals(PacketToController? other) =>
        other is not null && TableId == other.TableId && Reason == other.Reason && MaxLen == other.MaxLen && Cookie == other.Cookie
        && InPort == other.InPort && Metadata == other.Metadata && Frame.AsSpan().SequenceEqual(other.Frame);

    public override int GetHashCode() => HashCode.Combine(TableId, Reason, Cookie, InPort, Frame.Length);
}

public enum DropReason
{
    /// <summary>No flow in the table matched and there is no table-miss flow (OpenFlow 1.3 drops).</summary>
    TableMiss,

    /// <summary>The matched flows gave the packet no output: an explicit drop flow (no actions, no goto).</summary>
    NoOutput,

    /// <summary>A meter's drop band was exceeded.</summary>
    Meter,
}

/// <summary>The packet was dropped in <paramref name="TableId"/>; <paramref name="Cookie"/> names the deciding flow, if any.</summary>
public sealed record PacketDropped(DropReason Reason, byte TableId, ulong? Cookie, uint? MeterId = null) : PacketOutcome;

public sealed record PipelineResult(IReadOnlyList<PipelineStep> Path, IReadOnlyList<PacketOutcome> Outcomes, IReadOnlyList<uint> Meters)
{
    public IReadOnlyList<PacketForwarded> Forwarded => [.. Outcomes.OfType<PacketForwarded>()];

    public IReadOnlyList<PacketToController> ToController => [.. Outcomes.OfType<PacketToController>()];

    public PacketDropped? Dropped => Outcomes.OfType<PacketDropped>().FirstOrDefault();

    public bool IsDropped => Dropped is not null;

    /// <summary>The single output of a unicast-forwarded packet; throws when there is not exactly one.</summary>
    public PacketForwarded SingleOutput => Forwarded.Count == 1
        ? Forwarded[0]
        : throw new InvalidOperationException($"expected one output, got {Forwarded.Count}: {this}");

    public override string ToString() =>
        $"path [{string.Join(" -> ", Path.Select(s => s.Flow is null ? $"table {s.TableId} miss" : $"table {s.TableId} prio {s.Flow.Priority} cookie 0x{s.Flow.Cookie:x}"))}], " +
        $"outcomes [{string.Join(", ", Outcomes.Select(Describe))}], meters [{string.Join(", ", Meters)}]";

    private static string Describe(PacketOutcome outcome) => outcome switch
    {
        PacketForwarded f => $"output {f.Port} ({f.Frame.Length} bytes)",
        PacketToController c => $"controller from table {c.TableId} ({c.Reason})",
        PacketDropped d => $"dropped in table {d.TableId} ({d.Reason})",
        _ => outcome.GetType().Name,
    };
}
