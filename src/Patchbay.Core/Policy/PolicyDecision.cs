// What the policy engine answers for one first packet: the verdict, why, and how wide the flows that
// enforce it may be. A value type that only points at objects the engine already holds, so deciding
// allocates nothing.
namespace Patchbay.Core.Policy;

public enum PolicyVerdict
{
    Deny,
    Allow,
}

public enum DecisionReason
{
    /// <summary>No rule or connection matched; both endpoints are in one network (default allow).</summary>
    SameNetwork,

    /// <summary>No rule or connection matched; the endpoints are in different networks of one tenant (default deny).</summary>
    OtherNetwork,

    /// <summary>The endpoints belong to different tenants: always denied, nothing can allow it.</summary>
    OtherTenant,

    /// <summary>A rule decided; see <see cref="PolicyDecision.Rule"/>.</summary>
    Rule,

    /// <summary>A connect between the pair allowed it; see <see cref="PolicyDecision.Connection"/>.</summary>
    Connected,

    /// <summary>A disconnect between the pair denied it; see <see cref="PolicyDecision.Connection"/>.</summary>
    Disconnected,

    /// <summary>The engine knows no endpoint with the source or destination id.</summary>
    UnknownEndpoint,
}

/// <summary>How specific the flows of a decision must be.</summary>
public enum PolicyGranularity
{
    /// <summary>The verdict is the same for every protocol and port between the two endpoints: flows match the IP pair.</summary>
    IpPair,

    /// <summary>Another protocol or port could get another verdict: flows match the protocol and destination port.</summary>
    ProtocolPort,
}

/// <param name="Rule">The deciding rule when <see cref="Reason"/> is <see cref="DecisionReason.Rule"/>; its <c>AppliesTo</c> names the group.</param>
/// <param name="Connection">The deciding connect or disconnect.</param>
public readonly record struct PolicyDecision(
    PolicyVerdict Verdict,
    DecisionReason Reason,
    PolicyGranularity Granularity,
    PolicyRule? Rule = null,
    PairwiseConnection? Connection = null)
{
    public bool IsAllowed => Verdict == PolicyVerdict.Allow;

    public override string ToString() => Reason switch
    {
        DecisionReason.Rule => $"{Verdict} by rule {Rule!.Name} (group {Rule.AppliesTo}, priority {Rule.Priority}), {Granularity}",
        DecisionReason.Connected or DecisionReason.Disconnected => $"{Verdict} by {Reason} {Connection!.Name}, {Granularity}",
        _ => $"{Verdict} ({Reason}), {Granularity}",
    };
}
