// One switch as a trace sees it: the flows and meters it holds right now (read with FLOW and METER_CONFIG stats)
// loaded into a SwitchModel, plus the flows the controller would add for a first packet, so a packet can be run
// through the real flow table and every step named with the switch's own counters. In the model, a flow's cookie
// is the trace's index of it (installed i, or PlannedBit | j): a step then names exactly the flow it came from,
// whatever order the switch reported its match fields in; the real cookie is reported from the index.
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Controller.Tracing;

internal sealed class TracedSwitch
{
    private const ulong PlannedBit = 1UL << 63;

    private readonly List<FlowStats> _installed;
    private readonly List<FlowMod> _planned = [];

    private TracedSwitch(Host host, List<FlowStats> installed)
    {
        Host = host;
        _installed = installed;
        Model = new SwitchModel(host.DatapathId);
    }

    public Host Host { get; }

    public SwitchModel Model { get; }

    /// <summary>Reads the switch's flow table and meters now and loads them; what the model cannot hold is named in <paramref name="notes"/>.</summary>
    public static async Task<TracedSwitch> ReadAsync(Host host, SwitchSession session, List<string> notes, CancellationToken cancellationToken)
    {
        IReadOnlyList<FlowStats> flows = ((FlowStatsReply)MultipartReply.Combine(await session.MultipartAsync(new FlowStatsRequest(), cancellationToken).ConfigureAwait(false))).Entries;
        IReadOnlyList<MeterConfig> meters = ((MeterConfigReply)MultipartReply.Combine(await session.MultipartAsync(new MeterConfigRequest(), cancellationToken).ConfigureAwait(false))).Entries;
        return Load(host, flows, meters, notes);
    }

    /// <summary>Loads a flow table (as FLOW stats report it) and its meters into a fresh model.</summary>
    public static TracedSwitch Load(Host host, IReadOnlyList<FlowStats> flows, IReadOnlyList<MeterConfig> meters, List<string> notes)
    {
        var traced = new TracedSwitch(host, [.. flows]);
        foreach (MeterConfig meter in meters)
        {
            traced.TryApply(new MeterMod(MeterModCommand.Add, meter.Flags, meter.MeterId, meter.Bands), $"meter {meter.MeterId}", notes);
        }

        // A meter the switch did not report (or the model refused) would make its flows unloadable; the trace
        // lets such packets through rather than lose the flows, and says so.
        foreach (uint meterId in flows.SelectMany(f => f.Instructions).OfType<MeterInstruction>().Select(m => m.MeterId).Distinct())
        {
            if (traced.Model.DumpMeters().All(m => m.MeterId != meterId))
            {
                traced.Model.Apply(new MeterMod(MeterModCommand.Add, MeterFlags.Pktps, meterId, [new MeterBandDrop(uint.MaxValue, 0)]));
                notes.Add($"{host.Name}: meter {meterId} is not modelled; the trace lets packets through it");
            }
        }

        for (int i = 0; i < flows.Count; i++)
        {
            FlowStats flow = flows[i];
            traced.TryApply(
                new FlowMod
                {
                    Command = FlowModCommand.Add,
                    TableId = flow.TableId,
                    Priority = flow.Priority,
                    Cookie = (ulong)i,
                    Match = flow.Match,
                    Instructions = flow.Instructions,
                    IdleTimeout = flow.IdleTimeout,
                    HardTimeout = flow.HardTimeout,
                    Flags = flow.Flags,
                },
                $"flow table={flow.TableId} priority={flow.Priority} cookie=0x{flow.Cookie:x}",
                notes);
        }

        return traced;
    }

    /// <summary>Adds flows the controller would install (a plan, or a denial's drop flow); their steps are marked planned.</summary>
    public void AddPlanned(IEnumerable<FlowMod> flows, List<string> notes)
    {
        foreach (FlowMod flow in flows)
        {
            _planned.Add(flow);
            TryApply(flow with { Cookie = PlannedBit | (uint)(_planned.Count - 1) }, $"planned flow table={flow.TableId} priority={flow.Priority}", notes);
        }
    }

    /// <summary>The real cookie of the flow a model step matched.</summary>
    public ulong CookieOf(ulong modelCookie) =>
        (modelCookie & PlannedBit) != 0 ? _planned[(int)(modelCookie & ~PlannedBit)].Cookie : _installed[(int)modelCookie].Cookie;

    public static bool IsPlanned(ulong modelCookie) => (modelCookie & PlannedBit) != 0;

    /// <summary>The instructions of the flow a model step matched, as installed (or planned).</summary>
    public IReadOnlyList<OfpInstruction> InstructionsOf(ulong modelCookie) =>
        (modelCookie & PlannedBit) != 0 ? _planned[(int)(modelCookie & ~PlannedBit)].Instructions : _installed[(int)modelCookie].Instructions;

    /// <summary>The view of a matched flow: installed flows with the counters the switch reported, planned ones without.</summary>
    public TraceFlowView View(FlowEntry step, TraceNames names)
    {
        if (IsPlanned(step.Cookie))
        {
            FlowMod planned = _planned[(int)(step.Cookie & ~PlannedBit)];
            return new TraceFlowView(
                planned.TableId,
                Core.Pipeline.PatchbayPipeline.NameOf(planned.TableId),
                planned.Priority,
                TraceText.Cookie(planned.Cookie),
                Cookies.KindOf(planned.Cookie) == FlowKind.Conversation ? "new conversation (its id is given at setup)" : names.Owner(planned.Cookie, Host.Name),
                TraceText.Match(planned.Match, names),
                TraceText.Actions(planned.Instructions, names),
                Planned: true,
                IdleTimeout: NonZero(planned.IdleTimeout),
                HardTimeout: NonZero(planned.HardTimeout));
        }

        FlowStats flow = _installed[(int)step.Cookie];
        return new TraceFlowView(
            flow.TableId,
            Core.Pipeline.PatchbayPipeline.NameOf(flow.TableId),
            flow.Priority,
            TraceText.Cookie(flow.Cookie),
            names.Owner(flow.Cookie, Host.Name),
            TraceText.Match(flow.Match, names),
            TraceText.Actions(flow.Instructions, names),
            Planned: false,
            flow.PacketCount,
            flow.ByteCount,
            flow.DurationSec + (flow.DurationNsec / 1e9),
            NonZero(flow.IdleTimeout),
            NonZero(flow.HardTimeout));
    }

    /// <summary>The network tag the matched flows wrote, last one winning (null when none did).</summary>
    public ulong? MetadataWritten(IEnumerable<FlowEntry> steps)
    {
        ulong? metadata = null;
        foreach (FlowEntry step in steps)
        {
            foreach (WriteMetadataInstruction write in InstructionsOf(step.Cookie).OfType<WriteMetadataInstruction>())
            {
                metadata = ((metadata ?? 0) & ~write.MetadataMask) | (write.Metadata & write.MetadataMask);
            }
        }

        return metadata;
    }

    /// <summary>Whether any matched flow outputs to the controller (the first-packet flow, the ARP flow).</summary>
    public bool OutputsToController(FlowEntry step) =>
        InstructionsOf(step.Cookie).OfType<ApplyActionsInstruction>().SelectMany(a => a.Actions).Any(a => a is OutputAction { Port: OfpPortNo.Controller });

    private void TryApply(OfpMessage message, string what, List<string> notes)
    {
        try
        {
            Model.Apply(message);
        }
        catch (SwitchModelException e)
        {
            notes.Add($"{Host.Name}: {what} is not modelled ({e.Message}); the trace ignores it");
        }
    }

    private static ushort? NonZero(ushort value) => value == 0 ? null : value;
}
