// How a trace writes flows for people: matches and actions in ovs-ofctl's words (in_port=2,ip,nw_src=...;
// set_field:...->eth_src,output:1) so they can be compared with `ovs-ofctl dump-flows` by eye, with the
// network tag and ports named (metadata=0x3 (network blue)). TraceNames answers who owns a cookie, what is
// behind a port and which network a tag is, from the controller's state at the time of the trace.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.Packets;

namespace Patchbay.Controller.Tracing;

internal sealed class TraceNames(IControllerState state)
{
    /// <summary>"conversation 7 (a → b)", "endpoint a", "pipeline ingress-miss", or "foreign" for a cookie Patchbay did not write.</summary>
    public string Owner(ulong cookie, string host)
    {
        ulong id = Cookies.IdOf(cookie);
        return Cookies.KindOf(cookie) switch
        {
            FlowKind.Conversation when state.FindConversation(id) is { } record =>
                $"conversation {id} ({record.Conversation.Source} → {record.Conversation.Destination})",
            FlowKind.Conversation => $"conversation {id}",
            FlowKind.Endpoint => $"endpoint {state.Endpoints(host: host).FirstOrDefault(e => e.Id == id)?.Name ?? id.ToString(CultureInfo.InvariantCulture)}",
            FlowKind.Pipeline => $"pipeline {PipelineName((PipelineFlowId)id)}",
            _ => "foreign",
        };
    }

    public ConversationRecord? Conversation(ulong id) => state.FindConversation(id);

    /// <summary>What is behind a port of a host's bridge: "endpoint a", "uplink", "controller", or "port 7".</summary>
    public string Port(Host host, uint port) =>
        port == host.UplinkPort ? "uplink"
        : port == OfpPortNo.Controller ? "controller"
        : state.FindEndpointByPort(host.Name, port) is { } endpoint ? $"endpoint {endpoint.Name}"
        : $"port {port} (no endpoint)";

    /// <summary>The network a metadata tag names: "network blue (3)".</summary>
    public string Network(ulong metadata)
    {
        uint id = (uint)(metadata & PatchbayPipeline.NetworkMetadataMask);
        return state.FindNetwork(id) is { } network ? $"network {network.Name} ({id})" : $"network id {id} (unknown)";
    }

    private static string PipelineName(PipelineFlowId id) => id switch
    {
        PipelineFlowId.Uplink => "uplink",
        PipelineFlowId.ClassifyMiss => "classify-miss",
        PipelineFlowId.ArpMiss => "arp-miss",
        PipelineFlowId.EgressMiss => "egress-miss",
        PipelineFlowId.IngressMiss => "ingress-miss",
        PipelineFlowId.DeliverMiss => "deliver-miss",
        _ => ((ulong)id).ToString(CultureInfo.InvariantCulture),
    };
}

internal static class TraceText
{
    public static string Cookie(ulong cookie) => $"0x{cookie:x16}";

    /// <summary>ovs-ofctl's match syntax: "in_port=2,ip,metadata=0x3/0xffffffff (network blue (3)),nw_src=10.1.0.2".</summary>
    public static string Match(OfpMatch match, TraceNames names)
    {
        if (match.Fields.Count == 0)
        {
            return "(any)";
        }

        var text = new StringBuilder();
        foreach (OxmField field in match.Fields)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            if (field.BasicField == OxmBasicField.EthType && !field.HasMask)
            {
                ushort type = BinaryPrimitives.ReadUInt16BigEndian(field.Value.Span);
                text.Append(type switch { EtherType.Ipv4 => "ip", EtherType.Arp => "arp", EtherType.Ipv6 => "ipv6", _ => $"dl_type=0x{type:x4}" });
                continue;
            }

            text.Append(OxmBasicFields.Name(field.BasicField)).Append('=').Append(Value(field));
            if (field.BasicField == OxmBasicField.Metadata)
            {
                text.Append(" (").Append(names.Network(BinaryPrimitives.ReadUInt64BigEndian(field.Value.Span))).Append(')');
            }
        }

        return text.ToString();
    }

    /// <summary>The instructions as one action list: "meter:2,set_field:06:...->eth_src,output:1", or "drop".</summary>
    public static string Actions(IReadOnlyList<OfpInstruction> instructions, TraceNames names)
    {
        var parts = new List<string>();
        foreach (OfpInstruction instruction in instructions)
        {
            switch (instruction)
            {
                case MeterInstruction meter:
                    parts.Add($"meter:{meter.MeterId}");
                    break;
                case ApplyActionsInstruction apply:
                    parts.AddRange(apply.Actions.Select(Action));
                    break;
                case WriteActionsInstruction write:
                    parts.Add($"write_actions({string.Join(',', write.Actions.Select(Action))})");
                    break;
                case ClearActionsInstruction:
                    parts.Add("clear_actions");
                    break;
                case WriteMetadataInstruction metadata:
                    parts.Add($"write_metadata:0x{metadata.Metadata:x}/0x{metadata.MetadataMask:x} ({names.Network(metadata.Metadata)})");
                    break;
                case GotoTableInstruction gotoTable:
                    parts.Add($"goto_table:{gotoTable.TableId} ({PatchbayPipeline.NameOf(gotoTable.TableId)})");
                    break;
                default:
                    parts.Add(instruction.InstructionType.ToString());
                    break;
            }
        }

        return parts.Count == 0 ? "drop" : string.Join(',', parts);
    }

    public static string Mac(ReadOnlySpan<byte> frame, int offset) => MacAddress.Read(frame[offset..]).ToString();

    private static string Action(OfpAction action) => action switch
    {
        OutputAction { Port: OfpPortNo.Controller } => "CONTROLLER",
        OutputAction { Port: OfpPortNo.InPort } => "IN_PORT",
        OutputAction output => $"output:{output.Port}",
        SetFieldAction set => $"set_field:{Value(set.Field)}->{OxmBasicFields.Name(set.Field.BasicField)}",
        PushVlanAction push => $"push_vlan:0x{push.EtherType:x4}",
        PopVlanAction => "pop_vlan",
        _ => action.ActionType.ToString(),
    };

    private static string Value(OxmField field)
    {
        ReadOnlySpan<byte> value = field.Value.Span;
        string text = value.Length switch
        {
            6 => MacAddress.Read(value).ToString(),
            4 when field.BasicField is OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa => Ipv4Address.Read(value).ToString(),
            8 => $"0x{BinaryPrimitives.ReadUInt64BigEndian(value):x}",
            4 => BinaryPrimitives.ReadUInt32BigEndian(value).ToString(CultureInfo.InvariantCulture),
            2 => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture),
            1 => value[0].ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToHexStringLower(value),
        };
        if (!field.HasMask)
        {
            return text;
        }

        ReadOnlySpan<byte> mask = field.Mask.Span;
        return text + "/" + (mask.Length switch
        {
            6 => MacAddress.Read(mask).ToString(),
            4 when field.BasicField is OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst => Ipv4Address.Read(mask).ToString(),
            8 => $"0x{BinaryPrimitives.ReadUInt64BigEndian(mask):x}",
            _ => "0x" + Convert.ToHexStringLower(mask),
        });
    }
}
