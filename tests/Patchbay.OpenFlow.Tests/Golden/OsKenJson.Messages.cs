// os-ken projections of the non-multipart messages.
using System.Net.NetworkInformation;
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    public static JsonObject Project(OfpMessage message) => message switch
    {
        Hello m => Wrap("OFPHello", new() { ["elements"] = Array(m.Elements, HelloElementNode) }),
        ErrorMsg m => Wrap("OFPErrorMsg", Error(m)),
        EchoRequest m => Wrap("OFPEchoRequest", new() { ["data"] = Base64(m.Data) }),
        EchoReply m => Wrap("OFPEchoReply", new() { ["data"] = Base64(m.Data) }),
        ExperimenterMessage m => Wrap("OFPExperimenter", new()
        {
            ["experimenter"] = m.Experimenter,
            ["exp_type"] = m.ExpType,
            ["data"] = Base64(m.Data),
        }),
        FeaturesRequest => Wrap("OFPFeaturesRequest", []),
        FeaturesReply m => Wrap("OFPSwitchFeatures", new()
        {
            ["datapath_id"] = m.DatapathId,
            ["n_buffers"] = m.NBuffers,
            ["n_tables"] = m.NTables,
            ["auxiliary_id"] = m.AuxiliaryId,
            ["capabilities"] = (uint)m.Capabilities,
        }),
        GetConfigRequest => Wrap("OFPGetConfigRequest", []),
        GetConfigReply m => Wrap("OFPGetConfigReply", new() { ["flags"] = (ushort)m.Flags, ["miss_send_len"] = m.MissSendLen }),
        SetConfig m => Wrap("OFPSetConfig", new() { ["flags"] = (ushort)m.Flags, ["miss_send_len"] = m.MissSendLen }),
        PacketIn m => Wrap("OFPPacketIn", new()
        {
            ["buffer_id"] = m.BufferId,
            ["total_len"] = m.TotalLen,
            ["reason"] = (byte)m.Reason,
            ["table_id"] = m.TableId,
            ["cookie"] = m.Cookie,
            ["match"] = Match(m.Match),
            ["data"] = Base64(m.Data),
        }),
        FlowRemoved m => Wrap("OFPFlowRemoved", new()
        {
            ["cookie"] = m.Cookie,
            ["priority"] = m.Priority,
            ["reason"] = (byte)m.Reason,
            ["table_id"] = m.TableId,
            ["duration_sec"] = m.DurationSec,
            ["duration_nsec"] = m.DurationNsec,
            ["idle_timeout"] = m.IdleTimeout,
            ["hard_timeout"] = m.HardTimeout,
            ["packet_count"] = m.PacketCount,
            ["byte_count"] = m.ByteCount,
            ["match"] = Match(m.Match),
        }),
        PortStatus m => Wrap("OFPPortStatus", new() { ["reason"] = (byte)m.Reason, ["desc"] = Port(m.Desc) }),
        PacketOut m => Wrap("OFPPacketOut", new()
        {
            ["buffer_id"] = m.BufferId,
            ["in_port"] = m.InPort,
            ["actions_len"] = ActionList.Length(m.Actions),
            ["actions"] = Array(m.Actions, Action),
            ["data"] = Base64(m.Data),
        }),
        FlowMod m => Wrap("OFPFlowMod", new()
        {
            ["cookie"] = m.Cookie,
            ["cookie_mask"] = m.CookieMask,
            ["table_id"] = m.TableId,
            ["command"] = (byte)m.Command,
            ["idle_timeout"] = m.IdleTimeout,
            ["hard_timeout"] = m.HardTimeout,
            ["priority"] = m.Priority,
            ["buffer_id"] = m.BufferId,
            ["out_port"] = m.OutPort,
            ["out_group"] = m.OutGroup,
            ["flags"] = (ushort)m.Flags,
            ["match"] = Match(m.Match),
            ["instructions"] = Array(m.Instructions, Instruction),
        }),
        GroupMod m => Wrap("OFPGroupMod", new()
        {
            ["command"] = (ushort)m.Command,
            ["type"] = (byte)m.GroupType,
            ["group_id"] = m.GroupId,
            ["buckets"] = Array(m.Buckets, Bucket),
        }),
        PortMod m => Wrap("OFPPortMod", new()
        {
            ["port_no"] = m.PortNo,
            ["hw_addr"] = Mac(m.HwAddr),
            ["config"] = (uint)m.Config,
            ["mask"] = (uint)m.Mask,
            ["advertise"] = (uint)m.Advertise,
        }),
        TableMod m => Wrap("OFPTableMod", new() { ["table_id"] = m.TableId, ["config"] = m.Config }),
        MultipartRequest m => MultipartRequest(m),
        MultipartReply m => MultipartReply(m),
        BarrierRequest => Wrap("OFPBarrierRequest", []),
        BarrierReply => Wrap("OFPBarrierReply", []),
        QueueGetConfigRequest m => Wrap("OFPQueueGetConfigRequest", new() { ["port"] = m.Port }),
        QueueGetConfigReply m => Wrap("OFPQueueGetConfigReply", new()
        {
            ["port"] = m.Port,
            ["queues"] = Array(m.Queues, q => Wrap("OFPPacketQueue", new()
            {
                ["queue_id"] = q.QueueId,
                ["port"] = q.Port,
                ["len"] = q.Length,
                ["properties"] = Array(q.Properties, QueueProperty),
            })),
        }),
        RoleRequest m => Wrap("OFPRoleRequest", new() { ["role"] = (uint)m.Role, ["generation_id"] = m.GenerationId }),
        RoleReply m => Wrap("OFPRoleReply", new() { ["role"] = (uint)m.Role, ["generation_id"] = m.GenerationId }),
        GetAsyncRequest => Wrap("OFPGetAsyncRequest", []),
        GetAsyncReply m => Wrap("OFPGetAsyncReply", Async(m.Config)),
        SetAsync m => Wrap("OFPSetAsync", Async(m.Config)),
        MeterMod m => Wrap("OFPMeterMod", new()
        {
            ["command"] = (ushort)m.Command,
            ["flags"] = (ushort)m.Flags,
            ["meter_id"] = m.MeterId,
            ["bands"] = Array(m.Bands, MeterBand),
        }),
        _ => throw new NotSupportedException($"no os-ken projection for {message.GetType().Name} ({message.Type})"),
    };

    public static JsonObject Port(PortDescription port) => Wrap("OFPPort", new()
    {
        ["port_no"] = port.PortNo,
        ["hw_addr"] = Mac(port.HwAddr),
        ["name"] = port.Name,
        ["config"] = (uint)port.Config,
        ["state"] = (uint)port.State,
        ["curr"] = (uint)port.Curr,
        ["advertised"] = (uint)port.Advertised,
        ["supported"] = (uint)port.Supported,
        ["peer"] = (uint)port.Peer,
        ["curr_speed"] = port.CurrSpeed,
        ["max_speed"] = port.MaxSpeed,
    });

    private static string Mac(PhysicalAddress address) => Mac(address.GetAddressBytes());

    private static JsonObject Async(AsyncConfig config) => new()
    {
        ["packet_in_mask"] = new JsonArray(config.PacketInMaskMaster, config.PacketInMaskSlave),
        ["port_status_mask"] = new JsonArray(config.PortStatusMaskMaster, config.PortStatusMaskSlave),
        ["flow_removed_mask"] = new JsonArray(config.FlowRemovedMaskMaster, config.FlowRemovedMaskSlave),
    };

    private static JsonObject HelloElementNode(HelloElement element)
    {
        if (element.ElementType != HelloElement.VersionBitmapType)
        {
            return Partial("OFPHelloElem", new() { ["type"] = element.ElementType, ["length"] = element.ElementLength });
        }

        var versions = new JsonArray();
        ReadOnlySpan<byte> bitmaps = element.Data.Span;
        for (int word = 0; word < bitmaps.Length / 4; word++)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                if ((bitmaps[(word * 4) + 3 - (bit / 8)] & (1 << (bit % 8))) != 0)
                {
                    versions.Add((word * 32) + bit);
                }
            }
        }

        return Wrap("OFPHelloElemVersionBitmap", new()
        {
            ["type"] = element.ElementType,
            ["length"] = element.ElementLength,
            ["versions"] = versions,
        });
    }

    private static JsonObject Error(ErrorMsg error)
    {
        if (error.ErrorType != OfpErrorType.Experimenter)
        {
            return new() { ["type"] = (ushort)error.ErrorType, ["code"] = error.Code, ["data"] = Base64(error.Data) };
        }

        return new()
        {
            ["type"] = (ushort)error.ErrorType,
            ["code"] = null,
            ["exp_type"] = error.Code,
            ["experimenter"] = error.Experimenter,
            ["data"] = Base64(error.Data),
        };
    }
}
