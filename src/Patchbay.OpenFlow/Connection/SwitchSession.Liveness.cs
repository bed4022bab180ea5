// Liveness: an idle switch is sent ECHO_REQUEST every EchoInterval; one silent for DeadAfter is closed.
// Any bytes from the switch count as a sign of life, not only echo replies. A tick that comes a whole tick late
// means this process stalled (a long GC pause, a starved thread pool, a paused VM); what the switch sent meanwhile
// may still be unread, so the switch is judged at the next tick that comes on time, not on that one.
using System.Diagnostics;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    private async Task KeepaliveLoopAsync(CancellationToken cancellationToken)
    {
        TimeSpan shortest = _options.EchoInterval < _options.DeadAfter ? _options.EchoInterval : _options.DeadAfter;
        TimeSpan tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, shortest.Ticks / 4));
        long lastEcho = 0;
        long lastWake = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                bool stalled = Stopwatch.GetElapsedTime(lastWake, now) >= tick * 2;
                lastWake = now;
                TimeSpan idle = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastReceived));
                if (idle >= _options.DeadAfter && !stalled)
                {
                    OpenFlowLog.PeerDead(_logger, RemoteAddress, _options.DeadAfter);
                    RequestClose(new SwitchSessionClosed(SessionCloseReason.PeerDead, $"no traffic from the switch for {idle.TotalMilliseconds:F0} ms"));
                    return;
                }

                if (idle >= _options.EchoInterval && (lastEcho == 0 || Stopwatch.GetElapsedTime(lastEcho) >= _options.EchoInterval))
                {
                    uint xid = NextXid();

                    // Never wait here: a full queue already means traffic is pending, and the dead-peer clock keeps running.
                    if (TryQueue(new EchoRequest { Xid = xid }))
                    {
                        lastEcho = Stopwatch.GetTimestamp();
                        OpenFlowLog.EchoSent(_logger, RemoteAddress, xid);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session is closing.
        }
    }
}
