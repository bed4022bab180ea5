// Timing and queue limits of one switch session. Defaults suit a real switch; tests shrink them.
namespace Patchbay.OpenFlow.Connection;

public sealed record SwitchSessionOptions
{
    public static SwitchSessionOptions Default { get; } = new();

    /// <summary>Idle time after which the session sends an ECHO_REQUEST to prove the peer alive.</summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time without any bytes from the peer after which it is declared dead and the connection closed.</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time allowed from connect to FEATURES_REPLY (and, for TLS, the TLS handshake).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default time a request waits for its reply.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time queued messages get to reach the peer once the session closes (an ERROR before the close).</summary>
    public TimeSpan CloseGracePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages waiting to be written; SendAsync waits while the queue is full.</summary>
    public int SendQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Asynchronous messages waiting for the handler, counted twice: PACKET_INs (past this many the oldest is
    /// discarded for the newest) and every other kind (past this many reading from the switch pauses).
    /// </summary>
    public int HandlerQueueCapacity { get; init; } = 1024;

    /// <summary>Bytes written before the drain loop flushes, so one batch never buffers without bound.</summary>
    public int FlushThreshold { get; init; } = 64 * 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(EchoInterval, TimeSpan.Zero, nameof(EchoInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DeadAfter, TimeSpan.Zero, nameof(DeadAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseGracePeriod, TimeSpan.Zero, nameof(CloseGracePeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueCapacity, 1, nameof(SendQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(HandlerQueueCapacity, 1, nameof(HandlerQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushThreshold, 1, nameof(FlushThreshold));
    }
}
