// One bounded generator run: connect the switches, let the controller configure them (and, for Patchbay's
// real path, register hosts and endpoints through its API), warm up, then measure fixed loops, or send a
// fixed count. A pacer ticks every switch every 10 ms to count timed-out PACKET_INs lost and refill.
using System.Diagnostics;
using Patchbay.Core.Pipeline;

namespace Patchbay.LoadGen;

public sealed class LoadRun(LoadOptions options, TextWriter log)
{
    private static readonly TimeSpan PacerPeriod = TimeSpan.FromMilliseconds(10);

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var setup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        setup.CancelAfter(options.SetupTimeout);

        IReadOnlyList<BenchEndpoint> endpoints = options.Traffic == TrafficKind.Patchbay
            ? PatchbaySetup.Plan(options.Switches, options.EndpointsPerHost)
            : [];
        var writer = new PacketInWriter(options.Traffic == TrafficKind.Patchbay ? Tables.Egress : (byte)0);
        var sources = new IConversationSource[options.Switches];
        for (int i = 0; i < sources.Length; i++)
        {
            sources[i] = options.Traffic == TrafficKind.Patchbay
                ? new PatchbayConversations(i, options.EndpointsPerHost, endpoints)
                : new LearningConversations(i);
        }

        var switches = new List<EmulatedSwitch>();
        try
        {
            for (int i = 0; i < options.Switches; i++)
            {
                switches.Add(await EmulatedSwitch.ConnectAsync(options.Controller, i, options.DatapathIdBase + (ulong)i, sources[i], writer, setup.Token).ConfigureAwait(false));
            }

            await Task.WhenAll(switches.Select(s => s.Ready)).WaitAsync(setup.Token).ConfigureAwait(false);
            log.WriteLine($"{options.Label}: {switches.Count} switches connected to {options.Controller}");
            if (options.Traffic == TrafficKind.Patchbay)
            {
                await new PatchbaySetup(options.PatchbayApi!, log).RegisterAsync(options.Switches, options.DatapathIdBase, endpoints, setup.Token).ConfigureAwait(false);
            }

            return await MeasureAsync(switches, sources, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (EmulatedSwitch s in switches)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<LoadReport> MeasureAsync(List<EmulatedSwitch> switches, IConversationSource[] sources, CancellationToken cancellationToken)
    {
        using var pacing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long timeoutTicks = (long)(options.ResponseTimeout.TotalSeconds * Stopwatch.Frequency);
        Task pacer = PaceAsync(switches, timeoutTicks, pacing.Token);
        var loops = new List<LoopReport>();
        var latency = new LatencyHistogram();
        try
        {
            long limit = options.Count ?? long.MaxValue;
            foreach (EmulatedSwitch s in switches)
            {
                await s.StartAsync(options.EffectiveWindow, limit).ConfigureAwait(false);
            }

            if (options.Count is long count)
            {
                loops.Add(await CountAsync(switches, count, latency, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                await Task.Delay(options.Warmup, cancellationToken).ConfigureAwait(false);
                for (int loop = 1; loop <= options.Loops; loop++)
                {
                    loops.Add(await LoopAsync(switches, loop, latency, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            foreach (EmulatedSwitch s in switches)
            {
                s.Stop();
            }

            await pacing.CancelAsync().ConfigureAwait(false);
            await pacer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        SwitchSnapshot[] end = [.. switches.Select(s => s.Read(resetLatency: false))];
        long[] answered = [.. end.Select(s => s.Answered)];
        return new LoadReport(
            options.Label,
            options.Mode.ToString().ToLowerInvariant(),
            options.Traffic.ToString().ToLowerInvariant(),
            switches.Count,
            options.EffectiveWindow,
            switches.Any(s => s.Unbuffered),
            options.Count is null ? options.Warmup.TotalSeconds : 0,
            loops,
            loops.Average(l => l.ResponsesPerSecond),
            latency.Percentile(50) / 1000.0,
            latency.Percentile(99) / 1000.0,
            loops.Average(l => l.Fairness),
            end.Sum(s => s.Sent),
            end.Sum(s => s.Answered),
            end.Sum(s => s.Lost),
            end.Sum(s => s.Unmatched),
            end.Sum(s => s.Errors),
            sources.OfType<PatchbayConversations>().Sum(p => p.Wraps),
            answered);
    }

    private async Task<LoopReport> LoopAsync(List<EmulatedSwitch> switches, int loop, LatencyHistogram total, CancellationToken cancellationToken)
    {
        SwitchSnapshot[] start = [.. switches.Select(s => s.Read(resetLatency: true))];
        long began = Stopwatch.GetTimestamp();
        TimeSpan cpu = CpuTime();
        await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
        SwitchSnapshot[] end = [.. switches.Select(s => s.Read(resetLatency: true))];
        double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        return Summarize(loop, seconds, start, end, total, CpuTime() - cpu);
    }

    private async Task<LoopReport> CountAsync(List<EmulatedSwitch> switches, long count, LatencyHistogram total, CancellationToken cancellationToken)
    {
        SwitchSnapshot[] start = [.. switches.Select(_ => new SwitchSnapshot(0, 0, 0, 0, 0, new LatencyHistogram()))];
        long began = Stopwatch.GetTimestamp();
        TimeSpan cpu = CpuTime();

        // Bounded: every PACKET_IN is answered or timed out, so the count ends within its sending time plus one timeout.
        while (switches.Any(s => s.Read(resetLatency: false) is { } now && (now.Sent < count || s.InFlight > 0)))
        {
            await Task.Delay(PacerPeriod, cancellationToken).ConfigureAwait(false);
        }

        SwitchSnapshot[] end = [.. switches.Select(s => s.Read(resetLatency: false))];
        return Summarize(1, Stopwatch.GetElapsedTime(began).TotalSeconds, start, end, total, CpuTime() - cpu);
    }

    // The generator's own CPU time (user + system), so a report shows how much of the machine it took.
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static LoopReport Summarize(int loop, double seconds, SwitchSnapshot[] start, SwitchSnapshot[] end, LatencyHistogram total, TimeSpan generatorCpu)
    {
        var latency = new LatencyHistogram();
        var perSwitch = new long[end.Length];
        for (int i = 0; i < end.Length; i++)
        {
            perSwitch[i] = end[i].Answered - start[i].Answered;
            latency.Add(end[i].Latency);
        }

        total.Add(latency);
        long responses = perSwitch.Sum();
        return new LoopReport(
            loop,
            seconds,
            responses,
            responses / seconds,
            latency.Percentile(50) / 1000.0,
            latency.Percentile(99) / 1000.0,
            perSwitch.Min(),
            perSwitch.Max(),
            LoadReport.Jain(perSwitch),
            generatorCpu.TotalSeconds);
    }

    private static async Task PaceAsync(List<EmulatedSwitch> switches, long timeoutTicks, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PacerPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                await Task.WhenAll(switches.Select(s => s.TickAsync(now, timeoutTicks))).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
