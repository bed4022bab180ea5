// Why a switch session ended, and the exceptions that carry it to callers still waiting on the session.
namespace Patchbay.OpenFlow.Connection;

public enum SessionCloseReason
{
    /// <summary>The controller closed it (dispose, cancellation, listener shutdown).</summary>
    Local,
    /// <summary>The peer closed the connection.</summary>
    PeerClosed,
    /// <summary>The peer sent bytes that are not valid OpenFlow 1.3; an OFPT_ERROR was sent first.</summary>
    ProtocolError,
    /// <summary>The peer's HELLO offers no version Patchbay speaks; HELLO_FAILED/INCOMPATIBLE was sent first.</summary>
    IncompatibleVersion,
    /// <summary>HELLO or FEATURES_REPLY did not arrive in time.</summary>
    HandshakeTimeout,
    /// <summary>No traffic from the peer for DeadAfter, despite echo requests.</summary>
    PeerDead,
    /// <summary>The socket or TLS stream failed.</summary>
    TransportError,
}

public sealed record SwitchSessionClosed(SessionCloseReason Reason, string Detail, Exception? Exception = null)
{
    public override string ToString() => $"{Reason}: {Detail}";
}

/// <summary>A request could not complete because its session closed.</summary>
public sealed class SwitchSessionClosedException : Exception
{
    public SwitchSessionClosedException()
    {
    }

    public SwitchSessionClosedException(string message)
        : base(message)
    {
    }

    public SwitchSessionClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SwitchSessionClosedException(string remote, SwitchSessionClosed closed)
        : base($"OpenFlow session with {remote} closed ({closed})", closed?.Exception)
    {
        Closed = closed;
    }

    public SwitchSessionClosed? Closed { get; }
}
