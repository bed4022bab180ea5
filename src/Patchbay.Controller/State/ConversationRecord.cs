// A conversation as the controller tracks it: the model record plus what the switches need to find its
// flows again (the network, both hosts) and how many first packets reached the controller for it.
using Patchbay.Core.Model;

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

    /// <summary>The hosts whose switches hold this conversation's flows (one for a same-host conversation).</summary>
    public IEnumerable<string> Hosts => SourceHost == DestinationHost ? [SourceHost] : [SourceHost, DestinationHost];
}

/// <summary>Packets the controller itself refused (an ARP for an unknown address, a first packet with no route).</summary>
public sealed record DropCount(string Host, string Reason, ulong Packets, ulong Bytes);
