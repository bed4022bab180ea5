// One table of the pipeline, as data: what its flows may match, rewrite and jump to, and what happens
// to a packet no flow matches. PatchbayPipeline.Validate checks every flow against it.
using Patchbay.OpenFlow.Match;

namespace Patchbay.Core.Pipeline;

/// <param name="Matches">The fields a flow in this table may match on.</param>
/// <param name="SetFields">The fields a flow in this table may rewrite with set-field.</param>
/// <param name="Gotos">The tables a flow in this table may continue in.</param>
/// <param name="MayOutputToController">Whether a flow may send packets to the controller (always through a meter).</param>
/// <param name="Miss">What happens to a packet no other flow matches.</param>
public sealed record TableSpec(
    byte Id,
    string Name,
    IReadOnlySet<OxmBasicField> Matches,
    IReadOnlySet<OxmBasicField> SetFields,
    IReadOnlySet<byte> Gotos,
    bool MayOutputToController,
    string Miss)
{
    /// <summary>Whether a flow may output to a switch port (an endpoint or the uplink).</summary>
    public bool MayOutputToPort { get; init; }

    /// <summary>Whether a flow may write the network id into the metadata register.</summary>
    public bool MayWriteMetadata { get; init; }

    /// <summary>What the table is for, for docs and `patchbay trace`.</summary>
    public string Job { get; init; } = "";
}
