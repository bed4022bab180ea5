// Applies policy and endpoint changes to live traffic (docs/policy.md, "Changes to live traffic"). After
// every change the state signals (apply, rm, connect, disconnect, endpoint create, delete or relabel) the
// enforcer compiles the new engine, asks it which pairs the change may decide differently than the engine
// of its last pass, re-decides each live decision of such a pair at its own protocol and port, and ends
// (flows deleted by cookie on every switch holding them, then a barrier on each) those whose verdict or
// granularity changed. Everything else keeps its flows and counters. A burst of changes is one pass: at
// most one pass runs at a time, and the next one waits as long as the last compile took (at most MaxPace), so
// a burst of endpoint commits over 100,000 endpoints costs a compile every other slice, not back to back.
// With no live decision there is nothing to re-decide and no engine is compiled.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Policy;

namespace Patchbay.Controller.Switching;

/// <summary>What one enforcement pass did.</summary>
/// <param name="Generation">The policy generation the pass enforced: every change up to it is in force on the switches.</param>
/// <param name="Checked">Live decisions re-decided (those the change may affect, and those newer than the previous pass).</param>
/// <param name="Revoked">Live conversations and denials ended because their decision changed.</param>
public sealed record EnforcementPass(long Generation, int Checked, int Revoked, TimeSpan Took);

public sealed class PolicyEnforcer(IPolicyState policy, ConversationTracker conversations, SwitchRegistry switches, TimeProvider time, ILogger<PolicyEnforcer> logger)
    : BackgroundService
{
    /// <summary>How long after a pass the decisions made since are checked once more (see <see cref="RunPassAsync"/>).</summary>
    public static readonly TimeSpan FollowUpDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait before a pass after a change (see <see cref="ExecuteAsync"/>); well inside the 1 s bound of a change.</summary>
    public static readonly TimeSpan MaxPace = TimeSpan.FromMilliseconds(250);

    // Conversations are ended this many at a time: each sends one delete per switch, which only queues it.
    private const int EndParallelism = 8;

    // Finished passes kept so a request that waited for its change can be told what that change's pass revoked.
    private const int PassHistory = 64;

    private readonly Lock _lock = new();
    private readonly LinkedList<EnforcementPass> _passes = [];
    private readonly List<(long Generation, TaskCompletionSource<EnforcementPass> Done)> _waiters = [];
    private long _enforcedGeneration = -1;

    // The engine of the last pass and the highest decision id that pass saw: a decision with a higher id may
    // have been made with an engine older than the one the pass enforced, so the next pass checks it whatever the impact.
    private PolicyEngine? _enforced;
    private ulong _lastSeenId;
    private long _passCount;

    // How long the last pass's compile took: the wait before the next pass.
    private TimeSpan _pace;

    /// <summary>Passes run since the start; a burst of changes that arrives during one pass is handled by the next one.</summary>
    public long PassCount => Interlocked.Read(ref _passCount);

    /// <summary>
    /// Completes with the pass that enforced <paramref name="generation"/> (a value of <see cref="IPolicyState.PolicyGeneration"/>
    /// read after a change committed), or null when none finished within <paramref name="timeout"/>.
    /// </summary>
    public async Task<EnforcementPass?> WaitForAsync(long generation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<EnforcementPass> done;
        lock (_lock)
        {
            if (generation <= _enforcedGeneration)
            {
                return _passes.FirstOrDefault(p => p.Generation >= generation) ?? _passes.Last?.Value;
            }

            done = new TaskCompletionSource<EnforcementPass>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((generation, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long seen = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Task changed = policy.WaitForPolicyChangeAsync(seen, stoppingToken);
                if (seen >= 0 && await Task.WhenAny(changed, Task.Delay(FollowUpDelay, time, stoppingToken)).ConfigureAwait(false) != changed)
                {
                    // Quiet since the last pass: check once more what was decided meanwhile, then wait for a change.
                    await RunPassAsync(seen, stoppingToken).ConfigureAwait(false);
                }

                await changed.ConfigureAwait(false);
                if (_pace > TimeSpan.Zero)
                {
                    // Lets the rest of a burst join this pass, and leaves the CPU to the commits half the time.
                    await Task.Delay(_pace < MaxPace ? _pace : MaxPace, time, stoppingToken).ConfigureAwait(false);
                }

                seen = policy.PolicyGeneration;
                await RunPassAsync(seen, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The next change runs a new pass against the last engine that was enforced, so nothing is skipped.
                PolicyEnforcerLog.PolicyEnforcementFailed(logger, seen, e);
                await Task.Delay(FollowUpDelay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// One pass for <paramref name="generation"/>: re-decides the live decisions the change may affect, and every
    /// decision made since the previous pass (a first packet may have read the engine just before the change and
    /// registered its decision just after that pass looked), then ends those whose decision changed.
    /// </summary>
    private async Task RunPassAsync(long generation, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        IReadOnlyList<LiveDecision> live = conversations.LiveDecisions();
        if (live.Count == 0)
        {
            // Nothing to re-decide. The engine of the last pass stays the reference: any decision the next pass
            // finds is newer than every id seen so far, so that pass re-decides it whatever the impact.
            _pace = TimeSpan.Zero;
            Interlocked.Increment(ref _passCount);
            Complete(new EnforcementPass(generation, 0, 0, time.GetElapsedTime(started)));
            return;
        }

        PolicyEngine engine = policy.CurrentPolicy;
        _pace = time.GetElapsedTime(started);
        PolicyEngine? previous = _enforced;
        PolicyImpact? impact = previous is null || ReferenceEquals(previous, engine) ? null : engine.AffectedBy(previous);
        ulong newerThan = _lastSeenId;
        ulong highest = newerThan;
        int checkedCount = 0;
        var revoke = new List<(LiveDecision Decision, PolicyDecision Now)>();
        foreach (LiveDecision decision in live)
        {
            highest = Math.Max(highest, decision.Id);
            // Whole-pair flows carry the reverse direction's traffic too, so a change to it matters as well.
            bool wholePair = decision.Verdict == PolicyVerdict.Allow && decision.IpProtocol == 0;
            bool mayDiffer = previous is null || decision.Id > newerThan
                || (impact is not null && (impact.Contains(decision.SourceEndpointId, decision.DestinationEndpointId)
                    || (wholePair && impact.Contains(decision.DestinationEndpointId, decision.SourceEndpointId))));
            if (!mayDiffer)
            {
                continue;
            }

            checkedCount++;
            PolicyDecision now = engine.Decide(decision.SourceEndpointId, decision.DestinationEndpointId, decision.IpProtocol, decision.DestinationPort);
            if (now.Verdict != decision.Verdict || now.Granularity != decision.Granularity || (wholePair && !ReverseAllowsWholePair(engine, decision)))
            {
                revoke.Add((decision, now));
            }
        }

        int revoked = await RevokeAsync(revoke, cancellationToken).ConfigureAwait(false);
        _enforced = engine;
        _lastSeenId = highest;
        Interlocked.Increment(ref _passCount);
        var pass = new EnforcementPass(generation, checkedCount, revoked, time.GetElapsedTime(started));
        if (revoked > 0 || impact is not null)
        {
            PolicyEnforcerLog.PolicyEnforced(logger, generation, checkedCount, revoked, pass.Took.TotalMilliseconds);
        }

        Complete(pass);
    }

    // Whether the reverse direction is still allowed for every protocol and port (TrafficScope.Enforcing's
    // condition for whole-pair flows); protocol 0 asks for the traffic no narrower rule names.
    private static bool ReverseAllowsWholePair(PolicyEngine engine, LiveDecision decision)
    {
        PolicyDecision reverse = engine.Decide(decision.DestinationEndpointId, decision.SourceEndpointId, 0, 0);
        return reverse.IsAllowed && reverse.Granularity == PolicyGranularity.IpPair;
    }

    // Ends each conversation (its delete queued to every switch holding its flows), then one barrier per
    // switch, so that when the pass completes the switches have applied every delete.
    private async Task<int> RevokeAsync(List<(LiveDecision Decision, PolicyDecision Now)> revoke, CancellationToken cancellationToken)
    {
        if (revoke.Count == 0)
        {
            return 0;
        }

        int ended = 0;
        await Parallel.ForEachAsync(
            revoke,
            new ParallelOptions { MaxDegreeOfParallelism = EndParallelism, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                if (await conversations.EndAsync(item.Decision.Id, $"policy changed: {item.Now}", token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref ended);
                }
            }).ConfigureAwait(false);

        string[] hosts = [.. revoke.SelectMany(r => r.Decision.Hosts).Distinct(StringComparer.Ordinal)];
        await Task.WhenAll(hosts.Select(host => BarrierAsync(host, cancellationToken))).ConfigureAwait(false);
        return ended;
    }

    private async Task BarrierAsync(string host, CancellationToken cancellationToken)
    {
        if (switches.ReadyFor(host) is not SwitchContext context)
        {
            return;
        }

        try
        {
            await context.Session.BarrierAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            PolicyEnforcerLog.PolicyBarrierFailed(logger, host, e);
        }
    }

    private void Complete(EnforcementPass pass)
    {
        List<TaskCompletionSource<EnforcementPass>> done = [];
        lock (_lock)
        {
            _enforcedGeneration = Math.Max(_enforcedGeneration, pass.Generation);
            if (_passes.Last?.Value.Generation != pass.Generation || pass.Revoked > 0)
            {
                _passes.AddLast(pass);
                if (_passes.Count > PassHistory)
                {
                    _passes.RemoveFirst();
                }
            }

            _waiters.RemoveAll(w =>
            {
                if (w.Generation > pass.Generation)
                {
                    return false;
                }

                done.Add(w.Done);
                return true;
            });
        }

        foreach (TaskCompletionSource<EnforcementPass> waiter in done)
        {
            waiter.TrySetResult(pass);
        }
    }
}
