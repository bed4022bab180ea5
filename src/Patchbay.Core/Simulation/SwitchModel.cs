// A pure in-memory OpenFlow 1.3 switch (STYLE.md rule 13, Faucet's fakeoftable): flow tables that apply
// FLOW_MODs and METER_MODs like a switch, and a pipeline that answers "where does this packet go, rewritten
// how?" with counters. Time is the model's own clock, advanced only by Expire, so tests are deterministic.
// Split by concern: flow-mods (SwitchModel.FlowMods.cs), meters (SwitchModel.Meters.cs), the pipeline
// (SwitchModel.Pipeline.cs). Not thread-safe: one caller at a time (a simulated switch locks around it).
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Simulation;

public sealed partial class SwitchModel
{
    private readonly SortedDictionary<byte, List<InstalledFlow>> _tables = [];
    private readonly SortedSet<uint> _ports = [];
    private long _sequence;

    public SwitchModel(ulong datapathId = 0) => DatapathId = datapathId;

    public ulong DatapathId { get; }

    /// <summary>The model's clock: zero at creation, advanced by <see cref="Expire"/>.</summary>
    public TimeSpan Now { get; private set; }

    /// <summary>Ports FLOOD and ALL output to (besides the input port).</summary>
    public IReadOnlyCollection<uint> Ports => _ports;

    public int FlowCount => _tables.Values.Sum(t => t.Count);

    public void AddPort(uint port) => _ports.Add(port);

    public void RemovePort(uint port) => _ports.Remove(port);

    /// <summary>Applies a FLOW_MOD, METER_MOD or BARRIER_REQUEST; returns the FLOW_REMOVED notices a delete caused.</summary>
    public IReadOnlyList<FlowRemoved> Apply(OfpMessage message) => message switch
    {
        FlowMod flowMod => Apply(flowMod),
        MeterMod meterMod => ApplyMeterMod(meterMod),
        BarrierRequest => [],
        null => throw new ArgumentNullException(nameof(message)),
        _ => throw new SwitchModelException(OfpErrorType.BadRequest, 1, $"the switch model does not apply {message.Type}"),
    };

    /// <summary>Every flow with its counters, by table, then priority (highest first), then age.</summary>
    public IReadOnlyList<FlowEntry> DumpFlows() => [.. AllFlows().Select(f => f.Snapshot(Now))];

    /// <summary>The flows a FLOW (or AGGREGATE) stats request selects: table, out_port, cookie/mask, non-strict match.</summary>
    public IReadOnlyList<FlowEntry> QueryFlows(FlowMatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        OfpMatch match = MatchRules.Normalize(request.Match);
        return [.. AllFlows()
            .Where(f => (request.TableId == OfpTableId.All || f.TableId == request.TableId)
                && CookieSelects(f, request.Cookie, request.CookieMask)
                && OutPortSelects(f, request.OutPort)
                && request.OutGroup == OfpGroupId.Any
                && MatchRules.Covers(match, f.Match))
            .Select(f => f.Snapshot(Now))];
    }

    /// <summary>
    /// Advances the clock by <paramref name="elapsed"/> and removes the flows whose idle or hard timeout passed;
    /// returns the FLOW_REMOVED notices of those that asked for one (OFPFF_SEND_FLOW_REM).
    /// </summary>
    public IReadOnlyList<FlowRemoved> Expire(TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsed, TimeSpan.Zero);
        Now += elapsed;
        var notices = new List<FlowRemoved>();
        foreach (List<InstalledFlow> table in _tables.Values)
        {
            for (int i = table.Count - 1; i >= 0; i--)
            {
                InstalledFlow flow = table[i];
                FlowRemovedReason? reason =
                    flow.HardTimeout != 0 && Now - flow.InstalledAt >= TimeSpan.FromSeconds(flow.HardTimeout) ? FlowRemovedReason.HardTimeout
                    : flow.IdleTimeout != 0 && Now - flow.LastUsed >= TimeSpan.FromSeconds(flow.IdleTimeout) ? FlowRemovedReason.IdleTimeout
                    : null;
                if (reason is { } why)
                {
                    table.RemoveAt(i);
                    AddNotice(notices, flow, why);
                }
            }
        }

        return notices;
    }

    private IEnumerable<InstalledFlow> AllFlows() => _tables.Values.SelectMany(t => t);

    private List<InstalledFlow> Table(byte tableId)
    {
        if (!_tables.TryGetValue(tableId, out List<InstalledFlow>? table))
        {
            table = [];
            _tables[tableId] = table;
        }

        return table;
    }

    private void AddNotice(List<FlowRemoved> notices, InstalledFlow flow, FlowRemovedReason reason)
    {
        if ((flow.Flags & FlowModFlags.SendFlowRem) == 0)
        {
            return;
        }

        TimeSpan duration = Now - flow.InstalledAt;
        notices.Add(new FlowRemoved
        {
            Cookie = flow.Cookie,
            Priority = flow.Priority,
            Reason = reason,
            TableId = flow.TableId,
            DurationSec = (uint)duration.TotalSeconds,
            DurationNsec = (uint)(duration.Ticks % TimeSpan.TicksPerSecond * 100),
            IdleTimeout = flow.IdleTimeout,
            HardTimeout = flow.HardTimeout,
            PacketCount = flow.PacketCount,
            ByteCount = flow.ByteCount,
            Match = flow.Match,
        });
    }

    private static bool CookieSelects(InstalledFlow flow, ulong cookie, ulong mask) => (flow.Cookie & mask) == (cookie & mask);

    private static bool OutPortSelects(InstalledFlow flow, uint outPort)
    {
        if (outPort == OpenFlow.Actions.OfpPortNo.Any)
        {
            return true;
        }

        foreach (OfpInstruction instruction in flow.Instructions)
        {
            IReadOnlyList<OpenFlow.Actions.OfpAction> actions = instruction switch
            {
                ApplyActionsInstruction apply => apply.Actions,
                WriteActionsInstruction write => write.Actions,
                _ => [],
            };
            if (actions.Any(a => a is OpenFlow.Actions.OutputAction output && output.Port == outPort))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class InstalledFlow
    {
        public required byte TableId { get; init; }

        public required ushort Priority { get; init; }

        public required ulong Cookie { get; init; }

        public required OfpMatch Match { get; init; }

        public required IReadOnlyList<OfpInstruction> Instructions { get; set; }

        public required ushort IdleTimeout { get; init; }

        public required ushort HardTimeout { get; init; }

        public required FlowModFlags Flags { get; init; }

        public required long Sequence { get; init; }

        public TimeSpan InstalledAt { get; set; }

        public TimeSpan LastUsed { get; set; }

        public ulong PacketCount { get; set; }

        public ulong ByteCount { get; set; }

        public void Count(int bytes, TimeSpan now)
        {
            PacketCount++;
            ByteCount += (ulong)bytes;
            LastUsed = now;
        }

        public FlowEntry Snapshot(TimeSpan now) => new(
            TableId, Priority, Cookie, Match, Instructions, IdleTimeout, HardTimeout, Flags, PacketCount, ByteCount, now - InstalledAt, now - LastUsed);
    }
}
