// The Patchbay OpenFlow pipeline written once, as data (Faucet's faucet_pipeline.py idea), and the
// check every planned flow passes before it is sent (valve_table.py): a flow may only match, rewrite,
// jump and output as its table declares, and never floods.
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using TableIds = Patchbay.Core.Pipeline.Tables;

namespace Patchbay.Core.Pipeline;

public static class PatchbayPipeline
{
    /// <summary>
    /// The metadata bits that carry the network id between tables. The upper 32 bits stay free for later
    /// tags; flows write and match the network id under this mask.
    /// </summary>
    public const ulong NetworkMetadataMask = 0x0000_0000_ffff_ffff;

    private static readonly TableSpec[] Specs =
    [
        new(
            TableIds.Classify,
            "classify",
            Set(OxmBasicField.InPort, OxmBasicField.EthSrc, OxmBasicField.EthDst, OxmBasicField.EthType, OxmBasicField.Ipv4Src, OxmBasicField.ArpSpa, OxmBasicField.ArpSha),
            Set<OxmBasicField>(),
            Set(TableIds.Arp, TableIds.Egress, TableIds.Ingress),
            MayOutputToController: false,
            Miss: "drop, counted by an explicit priority-0 flow (unknown port, traffic from the host itself, uplink frames not addressed to this host)")
        {
            MayWriteMetadata = true,
            Job = "port security for container ports (in_port, MAC, IP) and the network tag in metadata; uplink frames addressed to this host's uplink MAC",
        },
        new(
            TableIds.Arp,
            "arp",
            Set(OxmBasicField.InPort, OxmBasicField.EthType, OxmBasicField.ArpOp),
            Set<OxmBasicField>(),
            Set<byte>(),
            MayOutputToController: true,
            Miss: "drop (ARP replies and anything but a request); ARP is never flooded")
        {
            Job = "ARP requests from a container go to the controller through the port's meter; the controller answers with PACKET_OUT",
        },
        new(
            TableIds.Egress,
            "egress",
            Set(OxmBasicField.InPort, OxmBasicField.Metadata, OxmBasicField.EthType, OxmBasicField.Ipv4Src, OxmBasicField.Ipv4Dst, OxmBasicField.IpProto, OxmBasicField.TcpSrc, OxmBasicField.TcpDst, OxmBasicField.UdpSrc, OxmBasicField.UdpDst, OxmBasicField.Icmpv4Type),
            Set(OxmBasicField.EthSrc, OxmBasicField.EthDst),
            Set(TableIds.Deliver),
            MayOutputToController: true,
            Miss: "per endpoint port (priority 1): to the controller through the port's meter, the first packet of a conversation; otherwise drop, counted")
        {
            MayOutputToPort = true,
            Job = "conversation flows from local endpoints: cross-host rewrite MACs to host uplink MACs and output to the uplink, same-host continue in deliver",
        },
        new(
            TableIds.Ingress,
            "ingress",
            Set(OxmBasicField.InPort, OxmBasicField.EthSrc, OxmBasicField.EthType, OxmBasicField.Ipv4Src, OxmBasicField.Ipv4Dst, OxmBasicField.IpProto, OxmBasicField.TcpSrc, OxmBasicField.TcpDst, OxmBasicField.UdpSrc, OxmBasicField.UdpDst, OxmBasicField.Icmpv4Type),
            Set(OxmBasicField.EthSrc),
            Set(TableIds.Deliver),
            MayOutputToController: false,
            Miss: "drop, counted (no conversation for this frame)")
        {
            MayWriteMetadata = true,
            Job = "conversation flows arriving from the underlay: tag the network, restore the source container's MAC",
        },
        new(
            TableIds.Deliver,
            "deliver",
            Set(OxmBasicField.Metadata, OxmBasicField.EthType, OxmBasicField.Ipv4Dst),
            Set(OxmBasicField.EthDst),
            Set<byte>(),
            MayOutputToController: false,
            Miss: "drop, counted (no local endpoint with this network and address)")
        {
            MayOutputToPort = true,
            Job = "set the destination container's MAC and output to its port",
        },
    ];

    // Indexed by table id (null: the pipeline has no such table), not a dictionary: every planned flow looks its table up.
    private static readonly TableSpec?[] ById = ByTableId(Specs);

    // Each table's match fields as a bitmap, indexed by table id (tables the pipeline lacks allow none).
    private static readonly FieldBits[] MatchBits = MatchBitsByTable();

    // The fields that need eth_type=IPv4, eth_type=ARP, ip_proto=TCP, UDP and ICMP, from RequiredEthType and
    // RequiredIpProto: ValidateMatch tests the fields a match has against these at once.
    private static readonly FieldBits NeedIpv4 = FieldsWhere(field => RequiredEthType(field) == EtherType.Ipv4);
    private static readonly FieldBits NeedArp = FieldsWhere(field => RequiredEthType(field) == EtherType.Arp);
    private static readonly FieldBits NeedTcp = FieldsWhere(field => RequiredIpProto(field) == IpProtocol.Tcp);
    private static readonly FieldBits NeedUdp = FieldsWhere(field => RequiredIpProto(field) == IpProtocol.Udp);
    private static readonly FieldBits NeedIcmp = FieldsWhere(field => RequiredIpProto(field) == IpProtocol.Icmp);

    // ValidateMatch's eth_type and ip_proto when the match has none, or not an exact one.
    private const int NotMatched = -1;

    public static IReadOnlyList<TableSpec> Tables { get; } = Specs;

    /// <summary>The declaration of table <paramref name="id"/>, or null when the pipeline has no such table.</summary>
    public static TableSpec? Find(byte id) => ById[id];

    /// <summary>A table's name for messages: "classify", or "#7" for a table the pipeline does not have.</summary>
    public static string NameOf(byte id) =>
        id == OfpTableId.All ? "all" : Find(id)?.Name ?? $"#{id}";

    /// <summary>
    /// Checks a flow-mod against its table's declaration. Adds and modifies must name a pipeline table and
    /// use only its matches (with their OpenFlow prerequisites), set-fields, gotos and outputs; deletes may
    /// name every table (a delete by cookie). Throws <see cref="PipelineViolationException"/> naming the
    /// table, the field and the rule.
    /// </summary>
    public static void Validate(FlowMod flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        bool delete = flow.Command is FlowModCommand.Delete or FlowModCommand.DeleteStrict;
        if (delete && flow.TableId == OfpTableId.All)
        {
            if (flow.Match.Fields.Count != 0 || flow.Instructions.Count != 0)
            {
                throw new PipelineViolationException(flow.TableId, null, "a delete across all tables selects by cookie only: empty match, no instructions");
            }

            return;
        }

        TableSpec spec = SpecOf(flow.TableId);
        ValidateMatch(spec, flow.Match);
        if (delete)
        {
            return;
        }

        ValidateInstructions(spec, flow.Instructions);
    }

    /// <summary>
    /// Checks a flow whose instruction list was checked once, when it was built, for every flow that carries it:
    /// the flow must be in that list's table and carry that very list; its match is checked as
    /// <see cref="Validate(FlowMod)"/> checks it. Throws <see cref="PipelineViolationException"/> as Validate does.
    /// </summary>
    public static void Validate(FlowMod flow, CheckedInstructions instructions)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(instructions);
        if (flow.TableId != instructions.Table)
        {
            throw new PipelineViolationException(flow.TableId, null, $"its instructions were checked for table {instructions.Table} ({NameOf(instructions.Table)})");
        }

        if (!ReferenceEquals(flow.Instructions, instructions.List))
        {
            throw new PipelineViolationException(flow.TableId, null, "its instructions are not the checked list");
        }

        ValidateMatch(SpecOf(flow.TableId), flow.Match);
    }

    /// <summary>Checks an instruction list against table <paramref name="table"/>'s declaration, as <see cref="Validate(FlowMod)"/> checks an add's.</summary>
    public static void ValidateInstructions(byte table, IReadOnlyList<OfpInstruction> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ValidateInstructions(SpecOf(table), instructions);
    }

    private static TableSpec SpecOf(byte table) =>
        Find(table) ?? throw new PipelineViolationException(table, null, "the pipeline has no such table");

    // One pass over the fields with bitmaps of field numbers (allowed, seen), noting eth_type and ip_proto on the
    // way, then the prerequisites of every field seen at once against those: every conversation setup validates
    // its flows, so nothing here allocates, looks a name up or searches the match again unless it is about to throw.
    private static void ValidateMatch(TableSpec spec, OfpMatch match)
    {
        // A span, not the list: planned matches are arrays, and indexing one through IReadOnlyList costs an interface
        // call per access. A match decoded from a switch (a List) is copied.
        ReadOnlySpan<OxmField> fields = match.Fields as OxmField[] ?? [.. match.Fields];
        FieldBits allowed = MatchBits[spec.Id];
        FieldBits seen = default;
        int ethType = NotMatched;
        int ipProto = NotMatched;
        foreach (OxmField field in fields)
        {
            if (!field.IsBasic || !allowed.Contains(field.Field) || seen.Contains(field.Field))
            {
                ThrowRefusedField(spec, field, allowed);
            }

            seen = seen.With(field.Field);
            if (field.BasicField == OxmBasicField.EthType)
            {
                ethType = !field.HasMask && field.Value.Length == 2 ? (field.Value.Span[0] << 8) | field.Value.Span[1] : NotMatched;
            }
            else if (field.BasicField == OxmBasicField.IpProto)
            {
                ipProto = !field.HasMask && field.Value.Length == 1 ? field.Value.Span[0] : NotMatched;
            }
        }

        bool prerequisitesMet =
            (!seen.Overlaps(NeedIpv4) || ethType == EtherType.Ipv4)
            && (!seen.Overlaps(NeedArp) || ethType == EtherType.Arp)
            && (!seen.Overlaps(NeedTcp) || ipProto == IpProtocol.Tcp)
            && (!seen.Overlaps(NeedUdp) || ipProto == IpProtocol.Udp)
            && (!seen.Overlaps(NeedIcmp) || ipProto == IpProtocol.Icmp);
        if (!prerequisitesMet)
        {
            ThrowMissingPrerequisite(spec, fields, ethType, ipProto);
        }
    }

    // Out of ValidateMatch's loop, so the loop carries no message building: a field that is not basic, not the
    // table's, or (being both) was matched already.
    [DoesNotReturn]
    private static void ThrowRefusedField(TableSpec spec, OxmField field, FieldBits allowed)
    {
        if (!field.IsBasic)
        {
            throw new PipelineViolationException(spec.Id, $"{field.Class}/{field.Field}", "only OpenFlow basic match fields are used");
        }

        if (!allowed.Contains(field.Field))
        {
            throw new PipelineViolationException(spec.Id, OxmBasicFields.Name(field.BasicField), $"not a match field of this table (allowed: {string.Join(", ", spec.Matches.Select(OxmBasicFields.Name))})");
        }

        throw new PipelineViolationException(spec.Id, OxmBasicFields.Name(field.BasicField), "matched twice");
    }

    // Names the first field, in match order, whose prerequisite the match lacks.
    [DoesNotReturn]
    private static void ThrowMissingPrerequisite(TableSpec spec, ReadOnlySpan<OxmField> fields, int ethType, int ipProto)
    {
        foreach (OxmField oxm in fields)
        {
            OxmBasicField field = oxm.BasicField;
            if (RequiredEthType(field) is { } neededEthType && ethType != neededEthType)
            {
                throw new PipelineViolationException(spec.Id, OxmBasicFields.Name(field), $"needs the prerequisite eth_type=0x{neededEthType:x4} in the same match");
            }

            if (RequiredIpProto(field) is { } neededIpProto && ipProto != neededIpProto)
            {
                throw new PipelineViolationException(spec.Id, OxmBasicFields.Name(field), $"needs the prerequisite ip_proto={neededIpProto} in the same match");
            }
        }

        throw new InvalidOperationException("a prerequisite was missing, but no field of the match needs it");
    }

    private static void ValidateInstructions(TableSpec spec, IReadOnlyList<OfpInstruction> instructions)
    {
        // The standard instruction types are 1 to 6, one bit each; any other is refused below.
        int kinds = 0;
        for (int i = 0; i < instructions.Count; i++)
        {
            OfpInstruction instruction = instructions[i];
            int kind = (int)instruction.InstructionType;
            if (kind < 8)
            {
                if ((kinds & (1 << kind)) != 0)
                {
                    throw new PipelineViolationException(spec.Id, instruction.InstructionType.ToString(), "an instruction type appears at most once per flow");
                }

                kinds |= 1 << kind;
            }

            switch (instruction)
            {
                case GotoTableInstruction goTo when !spec.Gotos.Contains(goTo.TableId):
                    throw new PipelineViolationException(spec.Id, "goto_table", $"table {goTo.TableId} ({NameOf(goTo.TableId)}) is not a successor of this table (allowed: {string.Join(", ", spec.Gotos)})");
                case GotoTableInstruction:
                    break;
                case WriteMetadataInstruction metadata when !spec.MayWriteMetadata:
                    throw new PipelineViolationException(spec.Id, "write_metadata", "this table does not tag the network");
                case WriteMetadataInstruction metadata when (metadata.MetadataMask & ~NetworkMetadataMask) != 0 || (metadata.Metadata & ~metadata.MetadataMask) != 0:
                    throw new PipelineViolationException(spec.Id, "write_metadata", $"writes bits outside the network id mask 0x{NetworkMetadataMask:x}");
                case WriteMetadataInstruction:
                    break;
                case MeterInstruction when !spec.MayOutputToController:
                    throw new PipelineViolationException(spec.Id, "meter", "meters guard controller-bound packets; this table sends none");
                case MeterInstruction:
                    break;
                case ApplyActionsInstruction apply:
                    ValidateActions(spec, apply.Actions, instructions);
                    break;
                default:
                    throw new PipelineViolationException(spec.Id, instruction.InstructionType.ToString(), "the pipeline uses goto_table, write_metadata, meter and apply_actions only");
            }
        }
    }

    private static void ValidateActions(TableSpec spec, IReadOnlyList<OfpAction> actions, IReadOnlyList<OfpInstruction> instructions)
    {
        for (int i = 0; i < actions.Count; i++)
        {
            OfpAction action = actions[i];
            switch (action)
            {
                case SetFieldAction setField when !setField.Field.IsBasic || !spec.SetFields.Contains(setField.Field.BasicField):
                    throw new PipelineViolationException(spec.Id, setField.Field.IsBasic ? OxmBasicFields.Name(setField.Field.BasicField) : "set_field", $"not a set-field of this table (allowed: {string.Join(", ", spec.SetFields.Select(OxmBasicFields.Name))})");
                case SetFieldAction:
                    break;
                case OutputAction { Port: OfpPortNo.Controller } when !spec.MayOutputToController:
                    throw new PipelineViolationException(spec.Id, "output:CONTROLLER", "this table does not send packets to the controller");
                case OutputAction { Port: OfpPortNo.Controller } when !instructions.Any(i => i is MeterInstruction):
                    throw new PipelineViolationException(spec.Id, "output:CONTROLLER", "packets to the controller go through the port's meter");
                case OutputAction { Port: OfpPortNo.Controller }:
                    break;
                case OutputAction { Port: OfpPortNo.Flood or OfpPortNo.All or OfpPortNo.Normal }:
                    throw new PipelineViolationException(spec.Id, "output", "the pipeline never floods and never hands packets to NORMAL");
                case OutputAction output when output.Port > OfpPortNo.Max:
                    throw new PipelineViolationException(spec.Id, "output", $"reserved port 0x{output.Port:x} is not an output of the pipeline");
                case OutputAction when !spec.MayOutputToPort:
                    throw new PipelineViolationException(spec.Id, "output", "this table does not output to ports");
                case OutputAction:
                    break;
                default:
                    throw new PipelineViolationException(spec.Id, action.ActionType.ToString(), "the pipeline uses set_field and output actions only");
            }
        }
    }

    private static ushort? RequiredEthType(OxmBasicField field) => field switch
    {
        OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst or OxmBasicField.IpProto or OxmBasicField.IpDscp or OxmBasicField.IpEcn => EtherType.Ipv4,
        OxmBasicField.ArpOp or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa or OxmBasicField.ArpSha or OxmBasicField.ArpTha => EtherType.Arp,
        _ => null,
    };

    // OpenFlow 1.3 section 7.2.3.6: a transport port or ICMP type needs its protocol matched exactly (which needs eth_type in turn).
    private static byte? RequiredIpProto(OxmBasicField field) => field switch
    {
        OxmBasicField.TcpSrc or OxmBasicField.TcpDst => IpProtocol.Tcp,
        OxmBasicField.UdpSrc or OxmBasicField.UdpDst => IpProtocol.Udp,
        OxmBasicField.Icmpv4Type or OxmBasicField.Icmpv4Code => IpProtocol.Icmp,
        _ => null,
    };

    private static TableSpec?[] ByTableId(TableSpec[] specs)
    {
        var byId = new TableSpec?[byte.MaxValue + 1];
        foreach (TableSpec spec in specs)
        {
            byId[spec.Id] = spec;
        }

        return byId;
    }

    private static FieldBits FieldsWhere(Func<OxmBasicField, bool> needs)
    {
        FieldBits bits = default;
        for (int field = 0; field < FieldBits.Size; field++)
        {
            if (needs((OxmBasicField)field))
            {
                bits = bits.With((byte)field);
            }
        }

        return bits;
    }

    private static FieldBits[] MatchBitsByTable()
    {
        var bits = new FieldBits[byte.MaxValue + 1];
        foreach (TableSpec spec in Specs)
        {
            bits[spec.Id] = FieldBits.Of(spec.Matches);
        }

        return bits;
    }

    private static FrozenSet<T> Set<T>(params T[] items) => items.ToFrozenSet();
}
