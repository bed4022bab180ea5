// FLOW_MOD semantics (spec 1.3.5, 6.4): ADD replaces an entry with the identical match and priority (OVS keeps
// its counters unless OFPFF_RESET_COUNTS) and honours CHECK_OVERLAP; MODIFY/MODIFY_STRICT change the
// instructions of the selected entries; DELETE/DELETE_STRICT remove them, filtered by cookie/mask and
// out_port, and report FLOW_REMOVED for SEND_FLOW_REM entries. A refused request changes nothing.
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Simulation;

public sealed partial class SwitchModel
{
    public IReadOnlyList<FlowRemoved> Apply(FlowMod flowMod)
    {
        ArgumentNullException.ThrowIfNull(flowMod);
        if (flowMod.BufferId != OfpConstants.NoBuffer)
        {
            throw new SwitchModelException(OfpErrorType.BadRequest, SwitchErrorCodes.BadRequestBufferUnknown, $"buffer {flowMod.BufferId}: the model buffers no packets");
        }

        OfpMatch match = MatchRules.Normalize(flowMod.Match);
        switch (flowMod.Command)
        {
            case FlowModCommand.Add:
                Add(flowMod, match);
                return [];
            case FlowModCommand.Modify or FlowModCommand.ModifyStrict:
                Modify(flowMod, match);
                return [];
            case FlowModCommand.Delete or FlowModCommand.DeleteStrict:
                return Delete(flowMod, match);
            default:
                throw new SwitchModelException(OfpErrorType.FlowModFailed, SwitchErrorCodes.FlowModBadCommand, $"flow-mod command {(byte)flowMod.Command}");
        }
    }

    private void Add(FlowMod flowMod, OfpMatch match)
    {
        RequireRealTable(flowMod.TableId);
        ValidateInstructions(flowMod.TableId, match, flowMod.Instructions);
        List<InstalledFlow> table = Table(flowMod.TableId);
        int existing = table.FindIndex(f => f.Priority == flowMod.Priority && f.Match.Equals(match));
        if ((flowMod.Flags & FlowModFlags.CheckOverlap) != 0
            && table.Exists(f => f.Priority == flowMod.Priority && !f.Match.Equals(match) && MatchRules.Overlaps(f.Match, match)))
        {
            throw new SwitchModelException(OfpErrorType.FlowModFailed, SwitchErrorCodes.FlowModOverlap, $"CHECK_OVERLAP: an entry of priority {flowMod.Priority} in table {flowMod.TableId} overlaps {match}");
        }

        var flow = new InstalledFlow
        {
            TableId = flowMod.TableId,
            Priority = flowMod.Priority,
            Cookie = flowMod.Cookie,
            Match = match,
            Instructions = SwitchOrder(flowMod.Instructions),
            IdleTimeout = flowMod.IdleTimeout,
            HardTimeout = flowMod.HardTimeout,
            Flags = flowMod.Flags,
            Sequence = _sequence++,
            InstalledAt = Now,
            LastUsed = Now,
        };
        if (existing >= 0)
        {
            InstalledFlow old = table[existing];
            table.RemoveAt(existing);
            if ((flowMod.Flags & FlowModFlags.ResetCounts) == 0)
            {
                flow.PacketCount = old.PacketCount;
                flow.ByteCount = old.ByteCount;
            }
        }

        // Highest priority first; equal priorities keep installation order, so the oldest wins a tie.
        int index = table.FindIndex(f => f.Priority < flow.Priority);
        table.Insert(index < 0 ? table.Count : index, flow);
    }

    private void Modify(FlowMod flowMod, OfpMatch match)
    {
        RequireRealTable(flowMod.TableId);
        bool strict = flowMod.Command == FlowModCommand.ModifyStrict;
        List<InstalledFlow> selected = [.. Table(flowMod.TableId).Where(f =>
            CookieSelects(f, flowMod.Cookie, flowMod.CookieMask)
            && (strict ? f.Priority == flowMod.Priority && f.Match.Equals(match) : MatchRules.Covers(match, f.Match)))];
        foreach (InstalledFlow flow in selected)
        {
            ValidateInstructions(flow.TableId, flow.Match, flowMod.Instructions);
        }

        foreach (InstalledFlow flow in selected)
        {
            flow.Instructions = SwitchOrder(flowMod.Instructions);
            if ((flowMod.Flags & FlowModFlags.ResetCounts) != 0)
            {
                flow.PacketCount = 0;
                flow.ByteCount = 0;
            }
        }
    }

    private List<FlowRemoved> Delete(FlowMod flowMod, OfpMatch match)
    {
        bool strict = flowMod.Command == FlowModCommand.DeleteStrict;
        var notices = new List<FlowRemoved>();
        if (flowMod.OutGroup != OfpGroupId.Any)
        {
            // No flow of the model can output to a group, so none is selected.
            return notices;
        }

        foreach ((byte tableId, List<InstalledFlow> table) in _tables)
        {
            if (flowMod.TableId != OfpTableId.All && flowMod.TableId != tableId)
            {
                continue;
            }

            for (int i = table.Count - 1; i >= 0; i--)
            {
                InstalledFlow flow = table[i];
                if (CookieSelects(flow, flowMod.Cookie, flowMod.CookieMask)
                    && OutPortSelects(flow, flowMod.OutPort)
                    && (strict ? flow.Priority == flowMod.Priority && flow.Match.Equals(match) : MatchRules.Covers(match, flow.Match)))
                {
                    table.RemoveAt(i);
                    AddNotice(notices, flow, FlowRemovedReason.Delete);
                }
            }
        }

        notices.Reverse();
        return notices;
    }

    // A switch keeps (and reports) instructions in the order it executes them, whatever order they came in.
    private static OfpInstruction[] SwitchOrder(IReadOnlyList<OfpInstruction> instructions) => [.. instructions.OrderBy(ExecutionOrder)];

    private static void RequireRealTable(byte tableId)
    {
        if (tableId > OfpTableId.Max)
        {
            throw new SwitchModelException(OfpErrorType.FlowModFailed, SwitchErrorCodes.FlowModBadTableId, "OFPTT_ALL is valid only for deletes");
        }
    }

    private void ValidateInstructions(byte tableId, OfpMatch match, IReadOnlyList<OfpInstruction> instructions)
    {
        var seen = new HashSet<OfpInstructionType>();
        foreach (OfpInstruction instruction in instructions)
        {
            if (!seen.Add(instruction.InstructionType))
            {
                throw new SwitchModelException(OfpErrorType.BadInstruction, SwitchErrorCodes.BadInstructionUnsupported, $"instruction {instruction.InstructionType} appears twice");
            }

            switch (instruction)
            {
                case GotoTableInstruction gotoTable when gotoTable.TableId <= tableId || gotoTable.TableId > OfpTableId.Max:
                    throw new SwitchModelException(OfpErrorType.BadInstruction, SwitchErrorCodes.BadInstructionTableId, $"goto-table {gotoTable.TableId} from table {tableId}: the pipeline only goes forward");
                case MeterInstruction meter when !_meters.ContainsKey(meter.MeterId):
                    throw new SwitchModelException(OfpErrorType.MeterModFailed, SwitchErrorCodes.MeterModUnknownMeter, $"meter {meter.MeterId} does not exist; add it before the flows that use it");
                case ApplyActionsInstruction apply:
                    ValidateActions(apply.Actions, match, packetOut: false);
                    break;
                case WriteActionsInstruction write:
                    ValidateActions(write.Actions, match, packetOut: false);
                    break;
                case ExperimenterInstruction:
                    throw new SwitchModelException(OfpErrorType.BadInstruction, SwitchErrorCodes.BadInstructionUnsupported, "experimenter instructions are not modelled");
            }
        }
    }

    private static void ValidateActions(IReadOnlyList<OfpAction> actions, OfpMatch? match, bool packetOut)
    {
        foreach (OfpAction action in actions)
        {
            switch (action)
            {
                case OutputAction output:
                    ValidateOutput(output.Port, packetOut);
                    break;
                case SetFieldAction setField:
                    ValidateSetField(setField.Field, match);
                    break;
                case PushVlanAction push when push.EtherType is not (EtherType.Vlan or EtherType.QinQ):
                    throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionArgument, $"push_vlan with ethertype 0x{push.EtherType:x4}");
                case PushVlanAction or PopVlanAction:
                    break;
                case GroupAction group:
                    throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionOutGroup, $"group {group.GroupId}: groups are not modelled");
                default:
                    throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionType, $"action {action.ActionType} is not modelled");
            }
        }
    }

    private static void ValidateOutput(uint port, bool packetOut)
    {
        bool valid = port switch
        {
            0 or OfpPortNo.Any => false,
            OfpPortNo.Table => packetOut,
            OfpPortNo.InPort or OfpPortNo.Flood or OfpPortNo.All or OfpPortNo.Controller or OfpPortNo.Local => true,
            _ => port <= OfpPortNo.Max,
        };
        if (!valid)
        {
            string why = port == OfpPortNo.Normal ? "NORMAL is not modelled" : port == OfpPortNo.Table ? "TABLE is valid only in packet-out" : "no such port";
            throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionOutPort, $"output to 0x{port:x}: {why}");
        }
    }

    private static void ValidateSetField(OxmField field, OfpMatch? match)
    {
        if (!field.IsBasic || !FrameRewriter.CanSet(field.BasicField) || field.HasMask)
        {
            throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionSetType, $"set-field {field} is not modelled");
        }

        if (field.Value.Length != OxmBasicFields.ValueSize(field.BasicField))
        {
            throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionArgument, $"set-field {field} has a value of the wrong size");
        }

        // As OVS: rewriting a header needs the flow's match to guarantee the header is there.
        if (match is not null && field.BasicField is not (OxmBasicField.VlanVid or OxmBasicField.VlanPcp) && !MatchRules.PrerequisitesMet(match, field.BasicField))
        {
            throw new SwitchModelException(OfpErrorType.BadAction, SwitchErrorCodes.BadActionMatchInconsistent, $"set-field {OxmBasicFields.Name(field.BasicField)} lacks its prerequisite in the flow's match");
        }
    }
}
