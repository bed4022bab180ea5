// The OpenFlow 1.3 pipeline (spec 1.3.5, 5.1-5.10): from table 0, the highest-priority matching entry's
// instructions run in the spec's order (meter, apply-actions, clear-actions, write-actions, write-metadata,
// goto-table); without goto the accumulated action set executes (pop, push, set-field, output). A table miss
// without a table-miss entry drops. Output to the input port is skipped unless it is IN_PORT.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Simulation;

public sealed partial class SwitchModel
{
    /// <summary>Sends <paramref name="frame"/> into the pipeline as if received on <paramref name="inPort"/>; updates counters.</summary>
    public PipelineResult Evaluate(uint inPort, ReadOnlySpan<byte> frame)
    {
        var run = new Run(inPort);
        RunPipeline(run, frame.ToArray());
        return run.Result();
    }

    /// <summary>
    /// A PACKET_OUT: <paramref name="actions"/> run on <paramref name="frame"/>; output TABLE sends the packet
    /// through the pipeline from table 0 with <paramref name="inPort"/> as its input port.
    /// </summary>
    public PipelineResult PacketOut(uint inPort, ReadOnlySpan<byte> frame, IReadOnlyList<OfpAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ValidateActions(actions, match: null, packetOut: true);
        var run = new Run(inPort);
        int before = run.Outcomes.Count;
        byte[] bytes = frame.ToArray();
        ExecuteActions(run, ref bytes, actions, new ActionContext(OfpTableId.All, 0, 0, IsTableMiss: false));
        if (run.Outcomes.Count == before)
        {
            run.Outcomes.Add(new PacketDropped(DropReason.NoOutput, OfpTableId.All, null));
        }

        return run.Result();
    }

    /// <summary>As <see cref="PacketOut(uint, ReadOnlySpan{byte}, IReadOnlyList{OfpAction})"/>, for the message itself.</summary>
    public PipelineResult PacketOut(PacketOut packetOut)
    {
        ArgumentNullException.ThrowIfNull(packetOut);
        if (packetOut.BufferId != OpenFlow.OfpConstants.NoBuffer)
        {
            throw new SwitchModelException(OfpErrorType.BadRequest, SwitchErrorCodes.BadRequestBufferUnknown, $"buffer {packetOut.BufferId}: the model buffers no packets");
        }

        return PacketOut(packetOut.InPort, packetOut.Data.Span, packetOut.Actions);
    }

    private void RunPipeline(Run run, byte[] frame)
    {
        int before = run.Outcomes.Count;
        byte tableId = 0;
        ulong metadata = 0;
        var actionSet = new ActionSet();
        InstalledFlow? flow = null;
        while (true)
        {
            flow = Lookup(tableId, PacketFields.Extract(run.InPort, metadata, frame));
            if (flow is null)
            {
                run.Path.Add(new PipelineStep(tableId, null));
                run.Outcomes.Add(new PacketDropped(DropReason.TableMiss, tableId, null));
                return;
            }

            flow.Count(frame.Length, Now);
            run.Path.Add(new PipelineStep(tableId, flow.Snapshot(Now)));
            var context = new ActionContext(tableId, flow.Cookie, metadata, flow.Priority == 0 && flow.Match.Fields.Count == 0);
            byte? next = null;
            foreach (OfpInstruction instruction in flow.Instructions)
            {
                switch (instruction)
                {
                    case MeterInstruction meter:
                        run.Meters.Add(meter.MeterId);
                        if (_meters.TryGetValue(meter.MeterId, out MeterState? state) && !state.Admit(frame.Length, Now))
                        {
                            run.Outcomes.Add(new PacketDropped(DropReason.Meter, tableId, flow.Cookie, meter.MeterId));
                            return;
                        }

                        break;
                    case ApplyActionsInstruction apply:
                        ExecuteActions(run, ref frame, apply.Actions, context);
                        break;
                    case ClearActionsInstruction:
                        actionSet.Clear();
                        break;
                    case WriteActionsInstruction write:
                        actionSet.Write(write.Actions);
                        break;
                    case WriteMetadataInstruction write:
                        metadata = (metadata & ~write.MetadataMask) | (write.Metadata & write.MetadataMask);
                        break;
                    case GotoTableInstruction gotoTable:
                        next = gotoTable.TableId;
                        break;
                }
            }

            if (next is not { } nextTable)
            {
                break;
            }

            tableId = nextTable;
        }

        ExecuteActions(run, ref frame, actionSet.InExecutionOrder(), new ActionContext(tableId, flow.Cookie, metadata, IsTableMiss: false));
        if (run.Outcomes.Count == before)
        {
            run.Outcomes.Add(new PacketDropped(DropReason.NoOutput, tableId, flow.Cookie));
        }
    }

    private InstalledFlow? Lookup(byte tableId, PacketFields fields) =>
        _tables.TryGetValue(tableId, out List<InstalledFlow>? table) ? table.Find(f => MatchRules.Matches(f.Match, fields)) : null;

    private void ExecuteActions(Run run, ref byte[] frame, IReadOnlyList<OfpAction> actions, ActionContext context)
    {
        foreach (OfpAction action in actions)
        {
            switch (action)
            {
                case OutputAction output:
                    Output(run, frame, output, context);
                    break;
                case SetFieldAction setField:
                    FrameRewriter.SetField(frame, setField.Field);
                    break;
                case PushVlanAction push:
                    frame = FrameRewriter.PushVlan(frame, push.EtherType);
                    break;
                case PopVlanAction:
                    frame = FrameRewriter.PopVlan(frame);
                    break;
            }
        }
    }

    private void Output(Run run, byte[] frame, OutputAction output, ActionContext context)
    {
        switch (output.Port)
        {
            case OfpPortNo.Controller:
                // A table-miss entry's packet-ins say NO_MATCH, as OVS reports them; any other output says ACTION.
                PacketInReason reason = context.IsTableMiss ? PacketInReason.NoMatch : PacketInReason.Action;
                run.Outcomes.Add(new PacketToController(context.TableId, reason, output.MaxLen, context.Cookie, run.InPort, context.Metadata, [.. frame]));
                break;
            case OfpPortNo.Table:
                RunPipeline(run, [.. frame]);
                break;
            case OfpPortNo.InPort:
                run.Outcomes.Add(new PacketForwarded(run.InPort, [.. frame]));
                break;
            case OfpPortNo.Flood or OfpPortNo.All:
                foreach (uint port in _ports.Where(p => p != run.InPort))
                {
                    run.Outcomes.Add(new PacketForwarded(port, [.. frame]));
                }

                break;
            default:
                if (output.Port != run.InPort)
                {
                    run.Outcomes.Add(new PacketForwarded(output.Port, [.. frame]));
                }

                break;
        }
    }

    private static int ExecutionOrder(OfpInstruction instruction) => instruction.InstructionType switch
    {
        OfpInstructionType.Meter => 0,
        OfpInstructionType.ApplyActions => 1,
        OfpInstructionType.ClearActions => 2,
        OfpInstructionType.WriteActions => 3,
        OfpInstructionType.WriteMetadata => 4,
        OfpInstructionType.GotoTable => 5,
        _ => 6,
    };

    private readonly record struct ActionContext(byte TableId, ulong Cookie, ulong Metadata, bool IsTableMiss);

    private sealed class Run(uint inPort)
    {
        public uint InPort { get; } = inPort;

        public List<PipelineStep> Path { get; } = [];

        public List<PacketOutcome> Outcomes { get; } = [];

        public List<uint> Meters { get; } = [];

        public PipelineResult Result() => new(Path, Outcomes, Meters);
    }

    /// <summary>The action set: at most one action per type (one set-field per field), executed in the spec's order.</summary>
    private sealed class ActionSet
    {
        private readonly Dictionary<(OfpActionType Type, byte Field), OfpAction> _actions = [];

        public void Clear() => _actions.Clear();

        public void Write(IReadOnlyList<OfpAction> actions)
        {
            foreach (OfpAction action in actions)
            {
                byte field = action is SetFieldAction setField ? setField.Field.Field : (byte)0;
                _actions[(action.ActionType, field)] = action;
            }
        }

        public IReadOnlyList<OfpAction> InExecutionOrder() =>
            [.. _actions.OrderBy(a => Rank(a.Key.Type)).ThenBy(a => a.Key.Field).Select(a => a.Value)];

        private static int Rank(OfpActionType type) => type switch
        {
            OfpActionType.PopVlan => 0,
            OfpActionType.PushVlan => 1,
            OfpActionType.SetField => 2,
            OfpActionType.Output => 3,
            _ => 4,
        };
    }
}
