// One bounded scale run against a real controller: connect the emulated switches, then provision through the
// REST API with bounded concurrency, phase by phase (tenants and networks, hosts, endpoints created and
// plugged, policy groups and rules), waiting after each phase until the switches hold what the controller
// must have programmed; then open conversations in steps with first packets and count flows per switch, and
// check that a denied pair gets a drop and not a path. The controller's memory is read from /proc after each.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Patchbay.Core.Api;
using Patchbay.Core.Pipeline;

namespace Patchbay.Scale;

public sealed record ScaleOptions
{
    public required IPEndPoint Controller { get; init; }

    public required string Api { get; init; }

    public int? ControllerPid { get; init; }

    public required ScaleParameters Parameters { get; init; }

    /// <summary>Active conversations to reach, in increasing order.</summary>
    public IReadOnlyList<int> ConversationSteps { get; init; } = [0, 1000, 10_000, 50_000];

    /// <summary>API requests in flight at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>First packets outstanding at once.</summary>
    public int Window { get; init; } = 512;

    /// <summary>Longest wait for the switches to hold what a phase programs.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public ulong DatapathIdBase { get; init; } = 0x5ca1_0000_0000UL;
}

/// <param name="ControllerCpuSeconds">User + system CPU the controller used in the phase (0 without its pid).</param>
/// <param name="BenchCpuSeconds">The same for this process: API client and emulated switches.</param>
public sealed record PhaseResult(string Name, int Objects, int Requests, double Seconds, double ApiSeconds, double ControllerCpuSeconds, double BenchCpuSeconds);

public sealed record MemorySample(string After, long RssKiB, long HwmKiB);

public sealed record StepResult(int Target, int Opened, int Answered, int Lost, double Seconds, FlowSpread Flows, FlowSpread ConversationFlows, long RssKiB);

public sealed record FlowSpread(int Min, double Average, int Max, long Total);

public sealed record ProbeResult(string Source, string Destination, string ApiVerdict, string ApiReason, string? ApiRule, bool DropFlowOnSource, bool Forwarded, int PathFlowsAdded);

public sealed record ScaleReport(
    ScaleParameters Parameters,
    int Networks,
    int Endpoints,
    int SubnetPrefix,
    int GroupDocuments,
    int RuleDocuments,
    int Groups,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<MemorySample> Memory,
    IReadOnlyList<StepResult> Steps,
    ProbeResult? Probe,
    FlowSpread StaticFlows,
    FlowSpread Meters,
    long SwitchErrors,
    long UnsupportedDeletes,
    long StatsWhileHolding,
    double Seconds);

public sealed class ScaleRun(ScaleOptions options, TextWriter log) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly ScaleLayout _layout = new(options.Parameters);
    private readonly List<PhaseResult> _phases = [];
    private readonly List<MemorySample> _memory = [];
    private (double Controller, double Bench) _cpuMark;
    private byte[] _answeredTokens = [];
    private int _answered;
    private readonly SemaphoreSlim _window = new(options.Window, options.Window);

    public async Task<ScaleReport> RunAsync(CancellationToken cancellationToken)
    {
        ScaleParameters p = options.Parameters;
        long began = Stopwatch.GetTimestamp();
        _answeredTokens = new byte[_layout.MaxConversations + 2];
        var switches = new FlowTableSwitch[p.Hosts];
        try
        {
            await ConnectAsync(switches, cancellationToken).ConfigureAwait(false);
            Sample("switches connected");
            _cpuMark = (ControllerCpu(), BenchCpu());
            using PatchbayApiClient client = PatchbayApiClient.Create(options.Api, TimeSpan.FromMinutes(5));
            await TenantsAndNetworksAsync(client, cancellationToken).ConfigureAwait(false);
            await HostsAsync(client, cancellationToken).ConfigureAwait(false);
            Sample("hosts");
            var endpoints = new EndpointAddress[_layout.Endpoints];
            await EndpointsAsync(client, switches, endpoints, cancellationToken).ConfigureAwait(false);
            Sample("endpoints");
            (int groups, int groupDocuments, int ruleDocuments) = await PolicyAsync(client, cancellationToken).ConfigureAwait(false);
            Sample("rules");
            FlowSpread staticFlows = Spread(switches, c => c.Flows);
            FlowSpread meters = Spread(switches, c => c.Meters);
            List<StepResult> steps = await ConversationsAsync(switches, endpoints, cancellationToken).ConfigureAwait(false);
            ProbeResult? probe = await ProbeAsync(client, switches, endpoints, cancellationToken).ConfigureAwait(false);
            Sample("end");
            SwitchCounts[] counts = [.. switches.Select(s => s.Read())];
            return new ScaleReport(
                p,
                _layout.Networks,
                _layout.Endpoints,
                _layout.SubnetPrefix,
                groupDocuments,
                ruleDocuments,
                groups,
                _phases,
                _memory,
                steps,
                probe,
                staticFlows,
                meters,
                counts.Sum(c => c.Errors),
                counts.Sum(c => c.UnsupportedDeletes),
                counts.Sum(c => c.StatsWhileHolding),
                Stopwatch.GetElapsedTime(began).TotalSeconds);
        }
        finally
        {
            foreach (FlowTableSwitch? s in switches)
            {
                if (s is not null)
                {
                    await s.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    public void Dispose() => _window.Dispose();

    private async Task ConnectAsync(FlowTableSwitch[] switches, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, switches.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, token) => switches[i] = await FlowTableSwitch.ConnectAsync(options.Controller, i, options.DatapathIdBase + (ulong)i, OnAnswered, token).ConfigureAwait(false)).ConfigureAwait(false);
        using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ready.CancelAfter(options.SettleTimeout);
        await Task.WhenAll(switches.Select(s => s.Ready)).WaitAsync(ready.Token).ConfigureAwait(false);
        log.WriteLine($"scale: {switches.Length} switches connected in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private async Task TenantsAndNetworksAsync(PatchbayApiClient client, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        for (int t = 0; t < options.Parameters.Tenants; t++)
        {
            await client.CreateTenantAsync(new TenantCreate(ScaleLayout.TenantName(t)), cancellationToken).ConfigureAwait(false);
        }

        for (int n = 0; n < _layout.Networks; n++)
        {
            await client.CreateNetworkAsync(new NetworkCreate(_layout.NetworkName(n), ScaleLayout.TenantName(_layout.TenantOf(n)), _layout.Subnet(n)), cancellationToken).ConfigureAwait(false);
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Phase("tenants and networks", options.Parameters.Tenants + _layout.Networks, options.Parameters.Tenants + _layout.Networks, seconds, seconds);
    }

    private async Task HostsAsync(PatchbayApiClient client, CancellationToken cancellationToken)
    {
        int hosts = options.Parameters.Hosts;
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, hosts),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (h, token) => await client.RegisterHostAsync(
                new HostRegistration(
                    ScaleLayout.HostName(h),
                    (options.DatapathIdBase + (ulong)h).ToString("x16", CultureInfo.InvariantCulture),
                    $"02:50:53:{(h >> 16) & 255:x2}:{(h >> 8) & 255:x2}:{h & 255:x2}",
                    0xfff0,
                    $"198.18.{(h + 1) >> 8}.{(h + 1) & 255}",
                    "scale"),
                token).ConfigureAwait(false)).ConfigureAwait(false);
        double api = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // Each host is "connected" once its switch has its pipeline: the controller configured the switch.
        await SettleAsync(
            "hosts connected",
            async () => (await client.ListAllHostsAsync(new ListQuery { Limit = 1000, State = "connected" }, cancellationToken).ConfigureAwait(false)).Count >= hosts,
            cancellationToken).ConfigureAwait(false);
        Phase("hosts", hosts, hosts, Stopwatch.GetElapsedTime(started).TotalSeconds, api);
    }

    private async Task EndpointsAsync(PatchbayApiClient client, FlowTableSwitch[] switches, EndpointAddress[] endpoints, CancellationToken cancellationToken)
    {
        int perHost = options.Parameters.EndpointsPerHost;
        long started = Stopwatch.GetTimestamp();
        int done = 0;

        // Host by host within a slot, so every switch gets endpoints from the start (as containers start across a cluster).
        await Parallel.ForEachAsync(
            Enumerable.Range(0, _layout.Endpoints),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (g, token) =>
            {
                int host = g % options.Parameters.Hosts;
                int slot = g / options.Parameters.Hosts;
                string name = ScaleLayout.EndpointName(host, slot);
                EndpointView created = await client.CreateEndpointAsync(
                    new EndpointCreate(name, _layout.NetworkName(_layout.NetworkOf(host, slot)), ScaleLayout.HostName(host), Labels: _layout.Labels(host, slot)),
                    token).ConfigureAwait(false);
                await client.SetEndpointPortAsync(name, (uint)slot + 1, token).ConfigureAwait(false);
                endpoints[(host * perHost) + slot] = new EndpointAddress(Convert.FromHexString(created.Mac.Replace(":", "", StringComparison.Ordinal)), IPAddress.Parse(created.Ip));
                int count = Interlocked.Increment(ref done);
                if (count % 10_000 == 0)
                {
                    log.WriteLine($"scale: {count} endpoints created and plugged ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
                }
            }).ConfigureAwait(false);
        double api = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // Every switch: its 6 pipeline flows, 6 flows and one meter per endpoint.
        int flows = 6 + (6 * perHost);
        await SettleAsync(
            $"{flows} flows and {perHost} meters on every switch",
            () => Task.FromResult(switches.All(s => s.Read() is { } c && c.Flows >= flows && c.Meters >= perHost)),
            cancellationToken).ConfigureAwait(false);
        Phase("endpoints (create + plug)", _layout.Endpoints, 2 * _layout.Endpoints, Stopwatch.GetElapsedTime(started).TotalSeconds, api);
    }

    private async Task<(int Groups, int GroupDocuments, int RuleDocuments)> PolicyAsync(PatchbayApiClient client, CancellationToken cancellationToken)
    {
        (IReadOnlyList<string> groupDocuments, IReadOnlyList<string> ruleDocuments) = _layout.PolicyDocuments();
        long started = Stopwatch.GetTimestamp();
        int groups = 0;
        foreach (string document in groupDocuments)
        {
            groups += (await client.ApplyPolicyAsync(document, "groups.json", cancellationToken).ConfigureAwait(false)).Changes.Count;
        }

        int rules = 0;
        await Parallel.ForEachAsync(
            ruleDocuments,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.Concurrency, 4), CancellationToken = cancellationToken },
            async (document, token) =>
            {
                PolicyApplyResult result = await client.ApplyPolicyAsync(document, "rules.json", token).ConfigureAwait(false);
                int count = Interlocked.Add(ref rules, result.Changes.Count);
                if (count / 20_000 != (count - result.Changes.Count) / 20_000)
                {
                    log.WriteLine($"scale: {count} rules applied ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
                }
            }).ConfigureAwait(false);
        if (rules != options.Parameters.Rules)
        {
            throw new InvalidOperationException($"the controller applied {rules} rules, not {options.Parameters.Rules}");
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Phase("policy groups + rules", groups + rules, groupDocuments.Count + ruleDocuments.Count, seconds, seconds);
        return (groups, groupDocuments.Count, ruleDocuments.Count);
    }

    private async Task<List<StepResult>> ConversationsAsync(FlowTableSwitch[] switches, EndpointAddress[] endpoints, CancellationToken cancellationToken)
    {
        var steps = new List<StepResult>();
        int opened = 0;
        int lost = 0;
        foreach (int target in options.ConversationSteps.Select(s => Math.Min(s, _layout.MaxConversations)).Distinct())
        {
            long started = Stopwatch.GetTimestamp();
            for (; opened < target; opened++)
            {
                if (!await _window.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
                {
                    // Five seconds without any answer: this slot is given up, the run goes on.
                    lost++;
                }

                ((int Host, int Slot) source, (int Host, int Slot) destination) = _layout.Conversation(opened);
                await SendFirstPacketAsync(switches, endpoints, source, destination, (uint)opened + 1).ConfigureAwait(false);
            }

            int expected = target;
            using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            settle.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                while (Volatile.Read(ref _answered) < expected)
                {
                    await Task.Delay(Poll, settle.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                log.WriteLine($"scale: only {Volatile.Read(ref _answered)} of {expected} first packets answered after 30 s");
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var step = new StepResult(
                target,
                opened,
                Volatile.Read(ref _answered),
                lost,
                seconds,
                Spread(switches, c => c.Flows),
                Spread(switches, c => c.ConversationFlows),
                ReadMemory().RssKiB);
            steps.Add(step);
            log.WriteLine($"scale: {step.Answered} conversations active ({seconds:0.0} s); flows per switch min/avg/max {step.Flows.Min}/{step.Flows.Average:0.0}/{step.Flows.Max}, conversation flows {step.ConversationFlows.Min}/{step.ConversationFlows.Average:0.0}/{step.ConversationFlows.Max}");
        }

        return steps;
    }

    // The probe pair is denied by a rule (any protocol, priority 0): its first packet must end in a drop flow on the
    // source switch, with no PACKET_OUT and no conversation flows on the destination's switch.
    private async Task<ProbeResult?> ProbeAsync(PatchbayApiClient client, FlowTableSwitch[] switches, EndpointAddress[] endpoints, CancellationToken cancellationToken)
    {
        if (options.Parameters.Rules == 0)
        {
            return null;
        }

        (int Host, int Slot) source = _layout.ProbeSource;
        (int Host, int Slot) destination = _layout.ProbeDestination;
        string sourceName = ScaleLayout.EndpointName(source.Host, source.Slot);
        string destinationName = ScaleLayout.EndpointName(destination.Host, destination.Slot);
        PolicyDecisionView decision = await client.DecideAsync(sourceName, destinationName, "udp", 5001, cancellationToken).ConfigureAwait(false);
        int destinationBefore = switches[destination.Host].Read().ConversationFlows;
        uint token = (uint)_layout.MaxConversations + 1;
        await SendFirstPacketAsync(switches, endpoints, source, destination, token).ConfigureAwait(false);
        long started = Stopwatch.GetTimestamp();
        bool dropped = false;
        bool forwarded = false;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5) && !dropped && !forwarded)
        {
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            dropped = switches[source.Host].HoldsDropFlow(Tables.Egress);
            forwarded = Volatile.Read(ref _answeredTokens[token]) != 0;
        }

        // A path would have been programmed before the PACKET_OUT; give a denial's absence of flows a moment too.
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        var probe = new ProbeResult(
            sourceName,
            destinationName,
            decision.Verdict,
            decision.Reason,
            decision.Rule,
            switches[source.Host].HoldsDropFlow(Tables.Egress),
            Volatile.Read(ref _answeredTokens[token]) != 0,
            switches[destination.Host].Read().ConversationFlows - destinationBefore);
        log.WriteLine($"scale: probe {sourceName} -> {destinationName}: API says {probe.ApiVerdict} ({probe.ApiReason}); drop flow on source switch: {probe.DropFlowOnSource}; forwarded: {probe.Forwarded}; path flows on the destination switch: {probe.PathFlowsAdded}");
        return probe;
    }

    private Task SendFirstPacketAsync(FlowTableSwitch[] switches, EndpointAddress[] endpoints, (int Host, int Slot) source, (int Host, int Slot) destination, uint token)
    {
        int perHost = options.Parameters.EndpointsPerHost;
        EndpointAddress from = endpoints[(source.Host * perHost) + source.Slot];
        EndpointAddress to = endpoints[(destination.Host * perHost) + destination.Slot];
        byte[] frame = FirstPackets.Build(from.Mac, to.Mac, from.Ip, to.Ip, token);
        return switches[source.Host].SendPacketInAsync(Tables.Egress, (uint)source.Slot + 1, frame);
    }

    private void OnAnswered(uint token)
    {
        if (token >= _answeredTokens.Length || Interlocked.Exchange(ref _answeredTokens[token], 1) != 0)
        {
            return;
        }

        if (token <= _layout.MaxConversations)
        {
            Interlocked.Increment(ref _answered);
            _window.Release();
        }
    }

    private async Task SettleAsync(string what, Func<Task<bool>> done, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (!await done().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(started) > options.SettleTimeout)
            {
                throw new TimeoutException($"not reached after {options.SettleTimeout.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Phase(string name, int objects, int requests, double seconds, double apiSeconds)
    {
        (double Controller, double Bench) cpu = (ControllerCpu(), BenchCpu());
        var phase = new PhaseResult(name, objects, requests, seconds, apiSeconds, cpu.Controller - _cpuMark.Controller, cpu.Bench - _cpuMark.Bench);
        _cpuMark = cpu;
        _phases.Add(phase);
        log.WriteLine($"scale: {name}: {objects} in {seconds:0.0} s ({objects / Math.Max(seconds, 1e-9):0} /s; API calls done after {apiSeconds:0.0} s; CPU s controller {phase.ControllerCpuSeconds:0.0}, benchmark {phase.BenchCpuSeconds:0.0})");
    }

    private void Sample(string after)
    {
        MemorySample sample = ReadMemory() with { After = after };
        _memory.Add(sample);
        log.WriteLine($"scale: controller memory after {after}: RSS {sample.RssKiB / 1024.0:0.0} MiB, peak {sample.HwmKiB / 1024.0:0.0} MiB");
    }

    // VmRSS and VmHWM of the controller process (kB in /proc/PID/status); zeros when no pid was given.
    private MemorySample ReadMemory()
    {
        if (options.ControllerPid is not int pid)
        {
            return new MemorySample("", 0, 0);
        }

        long rss = 0;
        long hwm = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line);
            }
        }

        return new MemorySample("", rss, hwm);
    }

    // utime + stime of the controller (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s on Linux).
    private double ControllerCpu()
    {
        if (options.ControllerPid is not int pid)
        {
            return 0;
        }

        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double BenchCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static FlowSpread Spread(FlowTableSwitch[] switches, Func<SwitchCounts, int> value)
    {
        int[] values = [.. switches.Select(s => value(s.Read()))];
        return new FlowSpread(values.Min(), values.Average(), values.Max(), values.Sum(v => (long)v));
    }

    private sealed record EndpointAddress(byte[] Mac, IPAddress Ip);
}
