// What a switch must be sent to make its flow table equal the desired one. Deletes go first, then adds
// (each followed by a barrier), as OVN's ofctrl does.
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Planning;

/// <param name="Deletes">DELETE_STRICT of installed flows nobody wants.</param>
/// <param name="Adds">ADD of desired flows that are missing or differ (an ADD replaces a flow with the same table, priority and match).</param>
/// <param name="Unchanged">Installed flows left alone: identical to a desired flow, or kept by their cookie.</param>
public sealed record ReconcilePlan(IReadOnlyList<FlowMod> Deletes, IReadOnlyList<FlowMod> Adds, int Unchanged)
{
    public bool IsEmpty => Deletes.Count == 0 && Adds.Count == 0;

    /// <summary>Deletes, then adds: the order to send them in.</summary>
    public IEnumerable<FlowMod> InOrder => Deletes.Concat(Adds);
}
