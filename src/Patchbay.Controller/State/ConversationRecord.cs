// A conversation as the controller tracks it: the model record plus what the switches need to find its
// flows again (the network, both hosts) and how many first packets reached the controller for it.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;

namespace Patchbay.Controller.State;

/// <param name="PacketIns">PACKET_INs attributed to this conversation: the first packet, plus any that raced its setup.</param>
public sealed record ConversationRecord(
    Conversation Conversation,
    uint NetworkId,
    string SourceHost,
    string DestinationHost,
    ulong PacketIns)
{
    public ulong Id => Conversation.Id;

    public bool IsActive => Conversation.State == ConversationState.Active;

    /// <summary>What the policy engine allowed it with; null only for records made before a decision existed.</summary>
    public ConversationPolicy? Policy { get; init; }

    /// <summary>The hosts whose switches hold this conversation's flows (one for a same-host conversation).</summary>
    public IEnumerable<string> Hosts => SourceHost == DestinationHost ? [SourceHost] : [SourceHost, DestinationHost];
}

/// <summary>The decision a conversation was set up with: why it was allowed and how wide its flows are.</summary>
/// <param name="Rule">The allowing rule's name when <paramref name="Reason"/> is <see cref="DecisionReason.Rule"/>.</param>
/// <param name="Connection">The allowing connect's name when <paramref name="Reason"/> is <see cref="DecisionReason.Connected"/>.</param>
/// <param name="Granularity">The engine's granularity; an IP-pair allow may still have a narrower <paramref name="Scope"/> (TrafficScope.Enforcing).</param>
/// <param name="Scope">What the flows match beyond the IP pair.</param>
public sealed record ConversationPolicy(DecisionReason Reason, PolicyGranularity Granularity, string? Rule, string? Connection, TrafficScope Scope);

/// <summary>Packets the controller itself refused (an ARP for an unknown address, a first packet with no route).</summary>
public sealed record DropCount(string Host, string Reason, ulong Packets, ulong Bytes);
