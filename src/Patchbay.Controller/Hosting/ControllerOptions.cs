// Everything `patchbay controller` is told on its command line.
using Patchbay.Controller.Switching;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Controller.Hosting;

public sealed record ControllerOptions
{
    /// <summary>Where switches connect (--openflow); none in tests that exercise only the REST API.</summary>
    public IReadOnlyList<OpenFlowEndpoint> OpenFlow { get; init; } = [];

    /// <summary>Where the REST API listens (--api).</summary>
    public IReadOnlyList<ApiAddress> Api { get; init; } = [];

    /// <summary>Idle timeout and the per-port packet-in meter (--idle-timeout, --packet-in-rate, --packet-in-burst).</summary>
    public PlannerOptions Planner { get; init; } = new();

    /// <summary>The controller's PACKET_IN budget per host (--packet-in-budget, --packet-in-budget-burst).</summary>
    public PacketInBudgetOptions PacketInBudget { get; init; } = new();

    /// <summary>Time between two announcements of a host's uplink MAC to the fabric; zero turns them off (--fabric-announce-interval).</summary>
    public TimeSpan FabricAnnounceInterval { get; init; } = FabricAnnouncer.DefaultInterval;

    public SwitchSessionOptions Sessions { get; init; } = SwitchSessionOptions.Default;
}
