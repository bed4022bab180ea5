// Tunables of the flow planner, from the controller's command line.
namespace Patchbay.Core.Planning;

public sealed record PlannerOptions
{
    /// <summary>Idle timeout of conversation flows (--idle-timeout); a quiet conversation vanishes after it.</summary>
    public ushort IdleTimeoutSeconds { get; init; } = 10;

    /// <summary>Rate of each endpoint port's meter on controller-bound packets (--packet-in-rate).</summary>
    public uint PacketInRatePps { get; init; } = 1000;

    /// <summary>Burst size of that meter, in packets.</summary>
    public uint PacketInBurst { get; init; } = 100;
}
