// What a live conversation or denial was decided with, as the tracker holds it: enough for a policy change to
// ask the current engine again (same endpoints, protocol and port) and end what it no longer decides the same
// way (ConversationTracker.EndAsync deletes the flows by cookie on every switch that holds them).
using Patchbay.Core.Policy;

namespace Patchbay.Controller.Switching;

/// <param name="Id">The conversation id (its cookie's low bits); a denial's drop flow carries one too.</param>
/// <param name="IpProtocol">
/// The protocol its flows match; 0 when they match the whole IP pair. 0 for every <see cref="PolicyGranularity.IpPair"/>
/// decision except an allow narrowed to the first packet's protocol and port because the reverse direction is not
/// allowed as a whole (TrafficScope.Enforcing): ask the engine again with this protocol and port.
/// </param>
/// <param name="DestinationPort">The TCP or UDP port its flows match; 0 for the IP pair and for other protocols.</param>
/// <param name="Granularity">The engine's granularity for the decision (not the flows': see <paramref name="IpProtocol"/>).</param>
/// <param name="Rule">The deciding rule's name when <paramref name="Reason"/> is <see cref="DecisionReason.Rule"/>.</param>
/// <param name="Connection">The deciding connect or disconnect's name.</param>
/// <param name="Hosts">The hosts whose switches hold its flows: both ends of a conversation, the source's for a denial.</param>
/// <param name="Installed">Its setup has finished: the flows are on the switches (their barriers answered); false while they are on the way.</param>
public sealed record LiveDecision(
    ulong Id,
    uint SourceEndpointId,
    uint DestinationEndpointId,
    byte IpProtocol,
    ushort DestinationPort,
    PolicyVerdict Verdict,
    PolicyGranularity Granularity,
    DecisionReason Reason,
    string? Rule,
    string? Connection,
    IReadOnlyList<string> Hosts,
    bool Installed = false);
