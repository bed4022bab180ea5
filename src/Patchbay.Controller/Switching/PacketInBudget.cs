// The controller's own PACKET_IN budget (docs/pipeline.md, "PACKET_IN protection"): a token bucket per
// connected switch, refilled at --packet-in-budget packets per second up to --packet-in-budget-burst, and
// inside it a fair share per in_port: the n ports that sent a PACKET_IN within the last second split the rate
// evenly and the burst n+1 ways, the spare share kept for a port that starts sending, so one flooding port
// spends its own share and never its neighbours'. The switch's
// per-port meters bound what one port sends; this bounds what one host makes the controller do. SwitchManager
// asks it before it parses or looks anything up, so an over-budget PACKET_IN costs one lock and a counter.
using System.Collections.Concurrent;

namespace Patchbay.Controller.Switching;

/// <summary>The per-host PACKET_IN budget (--packet-in-budget, --packet-in-budget-burst).</summary>
public sealed record PacketInBudgetOptions
{
    public const uint DefaultRatePps = 2000;
    public const uint DefaultBurst = 200;

    /// <summary>PACKET_INs per second the controller handles from one switch, all its ports together.</summary>
    public uint RatePps { get; init; } = DefaultRatePps;

    /// <summary>PACKET_INs one switch may send at once after a quiet spell; the bucket's depth.</summary>
    public uint Burst { get; init; } = DefaultBurst;

    /// <summary>A port that sent no PACKET_IN for this long no longer holds a share (its next one finds a full share).</summary>
    public TimeSpan ActiveWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most one over-budget warning per switch per this interval, with the count since the last one.</summary>
    public TimeSpan WarningInterval { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfZero(RatePps, nameof(RatePps));
        ArgumentOutOfRangeException.ThrowIfZero(Burst, nameof(Burst));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ActiveWindow, TimeSpan.Zero, nameof(ActiveWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WarningInterval, TimeSpan.Zero, nameof(WarningInterval));
    }
}

public sealed class PacketInBudget
{
    private readonly PacketInBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly long _activeTicks;
    private readonly long _warningTicks;
    private readonly ConcurrentDictionary<ulong, SwitchBucket> _switches = new();

    public PacketInBudget(PacketInBudgetOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _activeTicks = ToTicks(options.ActiveWindow);
        _warningTicks = ToTicks(options.WarningInterval);
    }

    public PacketInBudgetOptions Options => _options;

    /// <summary>
    /// Takes one PACKET_IN of <paramref name="inPort"/> from switch <paramref name="datapathId"/>'s budget: true
    /// when it may be handled. On a refusal <paramref name="toReport"/> is the number refused since the switch's
    /// last warning once <see cref="PacketInBudgetOptions.WarningInterval"/> has passed since it, else 0.
    /// </summary>
    public bool TryTake(ulong datapathId, uint inPort, out long toReport)
    {
        SwitchBucket bucket = _switches.GetOrAdd(datapathId, static (_, budget) => new SwitchBucket(budget), this);
        return bucket.TryTake(inPort, _time.GetTimestamp(), out toReport);
    }

    /// <summary>The switch disconnected: its bucket goes; a reconnect starts with a full one.</summary>
    public void Forget(ulong datapathId) => _switches.TryRemove(datapathId, out _);

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed class SwitchBucket(PacketInBudget budget)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<uint, PortShare> _ports = [];
        private double _tokens = budget._options.Burst;
        private long _refilled = budget._time.GetTimestamp();
        private long _swept = budget._time.GetTimestamp();
        private long _warned = long.MinValue;
        private long _refusedSinceWarning;

        public bool TryTake(uint inPort, long now, out long toReport)
        {
            PacketInBudgetOptions options = budget._options;
            double frequency = budget._time.TimestampFrequency;
            lock (_lock)
            {
                _tokens = Math.Min(options.Burst, _tokens + ((now - _refilled) / frequency * options.RatePps));
                _refilled = now;
                if (now - _swept >= budget._activeTicks)
                {
                    foreach ((uint port, PortShare quiet) in _ports)
                    {
                        if (now - quiet.LastSeen >= budget._activeTicks)
                        {
                            _ports.Remove(port);
                        }
                    }

                    _swept = now;
                }

                if (!_ports.TryGetValue(inPort, out PortShare? share))
                {
                    share = new PortShare(now);
                    _ports.Add(inPort, share);
                }

                // The active ports split the rate evenly. The burst is split one share wider, and that share stays
                // in the host bucket: a port that becomes active finds it there however hard the others flood,
                // and starts with a full share of its own.
                double shareRate = (double)options.RatePps / _ports.Count;
                double shareBurst = Math.Max(1, (double)options.Burst / (_ports.Count + 1));
                share.Tokens = share.IsNew ? shareBurst : Math.Min(shareBurst, share.Tokens + ((now - share.LastSeen) / frequency * shareRate));
                share.IsNew = false;
                share.LastSeen = now;
                if (share.Tokens >= 1 && _tokens >= 1)
                {
                    share.Tokens--;
                    _tokens--;
                    toReport = 0;
                    return true;
                }

                _refusedSinceWarning++;
                toReport = 0;
                if (_warned == long.MinValue || now - _warned >= budget._warningTicks)
                {
                    toReport = _refusedSinceWarning;
                    _refusedSinceWarning = 0;
                    _warned = now;
                }

                return false;
            }
        }
    }

    private sealed class PortShare(long now)
    {
        public double Tokens { get; set; }

        public long LastSeen { get; set; } = now;

        public bool IsNew { get; set; } = true;
    }
}
