// One bounded policy-change run against a real controller (issue #5: "time from a policy change to the last
// affected flow removed with 10,000 live conversations"). It connects the emulated switches, provisions one
// network, the hosts and labelled endpoints through the REST API, opens the conversations with first packets,
// then, repeatedly, makes a change and measures from the moment the request is sent to the last delete
// flow-mod (and the barrier after it) the switches received, and to the API's answer; after each change it
// undoes it and re-opens the conversations it revoked, so every repetition starts from the full set.
//   narrow: POST /v1/disconnect of two label groups that exactly 10 % of the conversations join;
//   all:    POST /v1/policy/apply of one deny rule that covers every conversation (100 %).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Patchbay.Core.Api;
using Patchbay.Core.Pipeline;

namespace Patchbay.PolicyChange;

public sealed record PolicyChangeOptions
{
    public required IPEndPoint Controller { get; init; }

    public required string Api { get; init; }

    public int Hosts { get; init; } = 16;

    public int EndpointsPerHost { get; init; } = 40;

    public int Conversations { get; init; } = 10_000;

    public int Repetitions { get; init; } = 3;

    /// <summary>First packets outstanding at once.</summary>
    public int Window { get; init; } = 256;

    /// <summary>API requests in flight at once while provisioning.</summary>
    public int Concurrency { get; init; } = 8;

    public ulong DatapathIdBase { get; init; } = 0x9c_0000_0000UL;
}

/// <param name="Revoked">What the API answered in its revoked field.</param>
/// <param name="Deletes">Delete flow-mods of conversation cookies the switches received.</param>
/// <param name="LastDeleteMs">From the request to the last delete flow-mod received by any switch.</param>
/// <param name="LastBarrierMs">From the request to the last barrier after the deletes (the switch has applied them).</param>
/// <param name="AnswerMs">From the request to the API's answer.</param>
/// <param name="FlowsLeft">Conversation flows on all switches after the change.</param>
public sealed record ChangeSample(string Change, int Affected, int Revoked, int Deletes, double LastDeleteMs, double LastBarrierMs, double AnswerMs, int FlowsLeft);

public sealed record PolicyChangeReport(PolicyChangeOptions Options, int Endpoints, double ProvisionSeconds, double OpenSeconds, IReadOnlyList<ChangeSample> Samples, long SwitchErrors, double Seconds);

public sealed class PolicyChangeRun(PolicyChangeOptions options, TextWriter log)
{
    public const int Slices = 10;
    private const string Network = "policy-bench";
    private const string Tenant = "policy-bench";
    private const string AllGroup = "pc-all";
    private const string DenyRule = "pc-deny-all";
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly List<ChangeSample> _samples = [];
    private RevocationSwitch[] _switches = [];
    private Pair[] _pairs = [];
    private int[] _answered = [];
    private int _inFlight;

    public async Task<PolicyChangeReport> RunAsync(CancellationToken cancellationToken)
    {
        long began = Stopwatch.GetTimestamp();
        _pairs = Layout(options.Hosts, options.EndpointsPerHost, options.Conversations);
        _answered = new int[_pairs.Length + 1];
        _switches = new RevocationSwitch[options.Hosts];
        try
        {
            for (int h = 0; h < options.Hosts; h++)
            {
                _switches[h] = await RevocationSwitch.ConnectAsync(options.Controller, options.DatapathIdBase + (ulong)h, Answered, cancellationToken).ConfigureAwait(false);
            }

            using PatchbayApiClient client = PatchbayApiClient.Create(options.Api, TimeSpan.FromMinutes(2));
            long provisionStarted = Stopwatch.GetTimestamp();
            await ProvisionAsync(client, cancellationToken).ConfigureAwait(false);
            double provisionSeconds = Stopwatch.GetElapsedTime(provisionStarted).TotalSeconds;
            log.WriteLine($"policy-change: {options.Hosts} hosts, {options.Hosts * options.EndpointsPerHost} endpoints and the groups provisioned in {provisionSeconds:0.0} s");

            long openStarted = Stopwatch.GetTimestamp();
            await OpenAsync([.. Enumerable.Range(0, _pairs.Length)], cancellationToken).ConfigureAwait(false);
            double openSeconds = Stopwatch.GetElapsedTime(openStarted).TotalSeconds;
            await SettleAsync(4 * _pairs.Length, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"policy-change: {_pairs.Length} conversations open in {openSeconds:0.0} s ({_pairs.Length / openSeconds:0} per second)");

            int[] narrow = [.. Enumerable.Range(0, _pairs.Length).Where(i => _pairs[i].Slice == 0)];
            int[] all = [.. Enumerable.Range(0, _pairs.Length)];
            for (int r = 0; r < options.Repetitions; r++)
            {
                ConnectionRequest disconnect = new(new ConnectionTargetView(Group: SliceGroup(0)), new ConnectionTargetView(Group: SliceGroup(1)), Tenant, "pc-narrow");
                await MeasureAsync("narrow", narrow, async () => (await client.SetConnectionAsync(false, disconnect, cancellationToken).ConfigureAwait(false)).Revoked, cancellationToken).ConfigureAwait(false);
                await client.DeletePolicyObjectAsync("connections", "pc-narrow", cancellationToken).ConfigureAwait(false);
                await ReopenAsync(narrow, cancellationToken).ConfigureAwait(false);

                await MeasureAsync("all", all, async () => (await client.ApplyPolicyAsync(DenyAllDocument, "deny-all.yaml", cancellationToken).ConfigureAwait(false)).Revoked, cancellationToken).ConfigureAwait(false);
                await client.DeletePolicyObjectAsync("rules", DenyRule, cancellationToken).ConfigureAwait(false);
                await ReopenAsync(all, cancellationToken).ConfigureAwait(false);
            }

            long errors = _switches.Sum(s => s.Read().Errors);
            return new PolicyChangeReport(options, options.Hosts * options.EndpointsPerHost, provisionSeconds, openSeconds, _samples, errors, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }
        finally
        {
            foreach (RevocationSwitch? emulated in _switches)
            {
                if (emulated is not null)
                {
                    await emulated.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    public static string SliceGroup(int slice) => $"pc-slice-{slice}";

    private static string DenyAllDocument => $"""
        rules:
          - name: {DenyRule}
            tenant: {Tenant}
            appliesTo: {AllGroup}
            direction: egress
            peers:
              - group: {AllGroup}
            protocol: any
            action: deny
            priority: 1
        """;

    /// <summary>
    /// The conversations: slice k's endpoints each talk to endpoints of slice k+1 (mod 10), on other hosts, every
    /// unordered pair once, an equal number per slice; so a disconnect of slices 0 and 1 revokes exactly a tenth.
    /// </summary>
    private static Pair[] Layout(int hosts, int perHost, int conversations)
    {
        int endpoints = hosts * perHost;
        if (conversations % Slices != 0)
        {
            throw new ArgumentException($"--conversations must be a multiple of {Slices}");
        }

        var slices = Enumerable.Range(0, Slices).Select(k => Enumerable.Range(0, endpoints).Where(e => e % Slices == k).ToArray()).ToArray();
        var pairs = new List<Pair>(conversations);
        for (int k = 0; k < Slices; k++)
        {
            int[] sources = slices[k];
            int[] destinations = slices[(k + 1) % Slices];
            int taken = 0;
            for (int d = 0; d < destinations.Length && taken < conversations / Slices; d++)
            {
                for (int a = 0; a < sources.Length && taken < conversations / Slices; a++)
                {
                    int source = sources[a];
                    int destination = destinations[(a + d) % destinations.Length];
                    if (source / perHost != destination / perHost)
                    {
                        pairs.Add(new Pair(k, source, destination));
                        taken++;
                    }
                }
            }

            if (taken < conversations / Slices)
            {
                throw new ArgumentException($"{hosts} hosts x {perHost} endpoints give only {taken} pairs for slice {k}; {conversations / Slices} are needed: add hosts or endpoints");
            }
        }

        return [.. pairs];
    }

    private async Task ProvisionAsync(PatchbayApiClient client, CancellationToken cancellationToken)
    {
        await client.CreateTenantAsync(new TenantCreate(Tenant), cancellationToken).ConfigureAwait(false);
        await client.CreateNetworkAsync(new NetworkCreate(Network, Tenant, "10.201.0.0/16"), cancellationToken).ConfigureAwait(false);
        for (int h = 0; h < options.Hosts; h++)
        {
            await client.RegisterHostAsync(
                new HostRegistration(HostName(h), (options.DatapathIdBase + (ulong)h).ToString("x16", CultureInfo.InvariantCulture), Mac(0xfe, h), 0xfff0, $"198.18.1.{h + 1}", "policy-bench"),
                cancellationToken).ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Hosts * options.EndpointsPerHost),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (e, token) =>
            {
                var labels = new Dictionary<string, string> { ["bench"] = "policy", ["slice"] = $"s{e % Slices}" };
                await client.CreateEndpointAsync(new EndpointCreate(EndpointName(e), Network, HostName(e / options.EndpointsPerHost), Ip: Ip(e).ToString(), Mac: Mac(e / options.EndpointsPerHost, e % options.EndpointsPerHost), Labels: labels), token).ConfigureAwait(false);
                await client.SetEndpointPortAsync(EndpointName(e), Port(e), token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        string groups = string.Join('\n', Enumerable.Range(0, Slices).Select(k => $"""
              - name: {SliceGroup(k)}
                tenant: {Tenant}
                selector:
                  matchLabels: {"{"}slice: s{k}{"}"}
            """));
        await client.ApplyPolicyAsync(
            $"""
            groups:
              - name: {AllGroup}
                tenant: {Tenant}
                selector:
                  matchLabels: {"{"}bench: policy{"}"}
            {groups}
            """,
            "groups.yaml",
            cancellationToken).ConfigureAwait(false);

        DateTime deadline = DateTime.UtcNow + SettleTimeout;
        while ((await client.ListHostsAsync(cancellationToken).ConfigureAwait(false)).Count(v => v.Name.StartsWith("pc-h", StringComparison.Ordinal) && v.State == "connected") < options.Hosts)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not every host is connected after {SettleTimeout.TotalSeconds} s");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    // One change: mark the switches, send, and read when the last delete and barrier arrived.
    private async Task MeasureAsync(string change, int[] affected, Func<Task<int?>> send, CancellationToken cancellationToken)
    {
        foreach (RevocationSwitch emulated in _switches)
        {
            emulated.Mark();
        }

        long started = Stopwatch.GetTimestamp();
        int? revoked = await send().ConfigureAwait(false);
        long answered = Stopwatch.GetTimestamp();
        int expectedFlows = 4 * (_pairs.Length - affected.Length);
        await SettleAsync(expectedFlows, cancellationToken).ConfigureAwait(false);
        SwitchWindow[] windows = [.. _switches.Select(s => s.Read())];
        long lastDelete = windows.Max(w => w.LastDelete);
        long lastBarrier = windows.Max(w => w.LastBarrier);
        var sample = new ChangeSample(
            change,
            affected.Length,
            revoked ?? -1,
            windows.Sum(w => w.Deletes),
            Milliseconds(started, lastDelete),
            Milliseconds(started, lastBarrier),
            Milliseconds(started, answered),
            windows.Sum(w => w.ConversationFlows));
        _samples.Add(sample);
        log.WriteLine($"policy-change: {change} ({affected.Length} conversations): last delete after {sample.LastDeleteMs:0.0} ms, its barrier {sample.LastBarrierMs:0.0} ms, answer {sample.AnswerMs:0.0} ms; revoked {sample.Revoked}, {sample.Deletes} deletes, {sample.FlowsLeft} flows left");
    }

    private async Task ReopenAsync(int[] conversations, CancellationToken cancellationToken)
    {
        await OpenAsync(conversations, cancellationToken).ConfigureAwait(false);
        await SettleAsync(4 * _pairs.Length, cancellationToken).ConfigureAwait(false);
    }

    // Sends the first packet of each conversation (window-bounded) until the controller sent it on; a packet
    // not answered within ResendAfter is sent again (the controller may discard one above a host's budget).
    private async Task OpenAsync(int[] conversations, CancellationToken cancellationToken)
    {
        foreach (int i in conversations)
        {
            Volatile.Write(ref _answered[i + 1], 0);
        }

        DateTime deadline = DateTime.UtcNow + OpenTimeout;
        int[] pending = conversations;
        while (pending.Length > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{pending.Length} first packets still unanswered after {OpenTimeout.TotalSeconds} s");
            }

            Volatile.Write(ref _inFlight, 0);
            foreach (int i in pending)
            {
                await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                Pair pair = _pairs[i];
                byte[] frame = FirstPacket.Build(MacBytes(pair.Source), MacBytes(pair.Destination), Ip(pair.Source), Ip(pair.Destination), (uint)(i + 1));
                Interlocked.Increment(ref _inFlight);
                await _switches[pair.Source / options.EndpointsPerHost].SendPacketInAsync(Tables.Egress, Port(pair.Source), frame).ConfigureAwait(false);
            }

            long waitUntil = Stopwatch.GetTimestamp() + (long)(ResendAfter.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < waitUntil && pending.Any(i => Volatile.Read(ref _answered[i + 1]) == 0))
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }

            pending = [.. pending.Where(i => Volatile.Read(ref _answered[i + 1]) == 0)];
        }
    }

    // Room in the window; first packets unanswered for ResendAfter count as lost and free theirs (they are resent).
    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _inFlight) >= options.Window)
        {
            if (Stopwatch.GetElapsedTime(started) > ResendAfter)
            {
                Volatile.Write(ref _inFlight, 0);
                return;
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    // Until the switches hold exactly the flows of the live conversations (4 each: 2 on each of 2 switches).
    private async Task SettleAsync(int flows, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + SettleTimeout;
        while (_switches.Sum(s => s.Read().ConversationFlows) != flows)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the switches hold {_switches.Sum(s => s.Read().ConversationFlows)} conversation flows, not {flows}, after {SettleTimeout.TotalSeconds} s");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Answered(uint token)
    {
        if (token >= 1 && token < (uint)_answered.Length && Interlocked.Exchange(ref _answered[token], 1) == 0)
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static double Milliseconds(long from, long to) => to <= from ? 0 : (to - from) * 1000.0 / Stopwatch.Frequency;

    private static string HostName(int h) => $"pc-h{h}";

    private static string EndpointName(int e) => $"pc-e{e}";

    private uint Port(int e) => (uint)(e % options.EndpointsPerHost) + 1;

    // 10.201.(host+1).(index+1): 10.201.0.0/24 keeps the gateway out of the way.
    private IPAddress Ip(int e) => new([10, 201, (byte)((e / options.EndpointsPerHost) + 1), (byte)((e % options.EndpointsPerHost) + 1)]);

    private byte[] MacBytes(int e) => [0x02, 0x50, 0x43, 0x00, (byte)(e / options.EndpointsPerHost), (byte)(e % options.EndpointsPerHost)];

    private static string Mac(int high, int low) => $"02:50:43:00:{high:x2}:{low:x2}";

    private readonly record struct Pair(int Slice, int Source, int Destination);
}
