// What the controller does with a switch: told when the handshake completes, handed every message the
// session does not consume itself (PACKET_IN, FLOW_REMOVED, PORT_STATUS, errors for fire-and-forget
// requests), and told when the session ends.
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

/// <remarks>
/// Calls for one session come one at a time, in arrival order, on a task of their own, so a handler may
/// await requests on the session. While the handler lags by <see cref="SwitchSessionOptions.HandlerQueueCapacity"/>
/// PACKET_INs, each new one displaces the oldest queued (<see cref="OnPacketInDiscarded"/>); while it lags by as
/// many other messages the session stops reading from the switch, and a handler that then waits for a reply
/// waits until its request times out.
/// </remarks>
public interface IOpenFlowHandler
{
    /// <summary>The handshake completed: <see cref="SwitchSession.DatapathId"/> and <see cref="SwitchSession.Features"/> are set.</summary>
    ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken);

    /// <summary>An asynchronous message (or one no pending request claimed).</summary>
    ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A PACKET_IN was discarded unhandled: the handler lagged a full queue of them behind. Called on the session's
    /// read loop, so it must be quick and must not wait.
    /// </summary>
    void OnPacketInDiscarded(SwitchSession session, PacketIn packetIn)
    {
    }

    /// <summary>The session closed; called once, also when the handshake never completed.</summary>
    ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed);
}
