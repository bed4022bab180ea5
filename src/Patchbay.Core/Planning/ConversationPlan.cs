// The flows of one conversation, split by the switch they go to, in the order they must be sent:
// the destination switch first (so the reply path exists), then the source switch.
using Patchbay.Core.Model;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Planning;

/// <param name="DestinationSwitch">Flows for the destination endpoint's host; empty for a same-host conversation.</param>
/// <param name="SourceSwitch">Flows for the source endpoint's host (all flows for a same-host conversation).</param>
public sealed record ConversationPlan(ulong Cookie, DataPathMode Mode, IReadOnlyList<FlowMod> DestinationSwitch, IReadOnlyList<FlowMod> SourceSwitch)
{
    public bool SameHost => DestinationSwitch.Count == 0;
}
