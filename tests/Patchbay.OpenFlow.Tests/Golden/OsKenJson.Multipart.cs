// os-ken projections of multipart requests and replies ({"OFPxxxStatsRequest": {"flags", "type", ...}},
// replies with "body" as one object or a list, as os-ken prints each kind).
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    private static JsonObject MultipartRequest(MultipartRequest request)
    {
        var body = new JsonObject { ["flags"] = (ushort)request.Flags, ["type"] = (ushort)request.MultipartType };
        switch (request)
        {
            case DescRequest:
                return Wrap("OFPDescStatsRequest", body);
            case FlowStatsRequest r:
                return Wrap("OFPFlowStatsRequest", FlowFilter(body, r));
            case AggregateStatsRequest r:
                return Wrap("OFPAggregateStatsRequest", FlowFilter(body, r));
            case TableStatsRequest:
                return Wrap("OFPTableStatsRequest", body);
            case PortStatsRequest r:
                body["port_no"] = r.PortNo;
                return Wrap("OFPPortStatsRequest", body);
            case QueueStatsRequest r:
                body["port_no"] = r.PortNo;
                body["queue_id"] = r.QueueId;
                return Wrap("OFPQueueStatsRequest", body);
            case GroupStatsRequest r:
                body["group_id"] = r.GroupId;
                return Wrap("OFPGroupStatsRequest", body);
            case GroupDescRequest:
                return Wrap("OFPGroupDescStatsRequest", body);
            case GroupFeaturesRequest:
                return Wrap("OFPGroupFeaturesStatsRequest", body);
            case MeterStatsRequest r:
                body["meter_id"] = r.MeterId;
                return Wrap("OFPMeterStatsRequest", body);
            case MeterConfigRequest r:
                body["meter_id"] = r.MeterId;
                return Wrap("OFPMeterConfigStatsRequest", body);
            case MeterFeaturesRequest:
                return Wrap("OFPMeterFeaturesStatsRequest", body);
            case TableFeaturesRequest:
                body["body"] = Opaque();
                return Wrap("OFPTableFeaturesStatsRequest", body);
            case PortDescRequest:
                return Wrap("OFPPortDescStatsRequest", body);
            case ExperimenterMultipartRequest { Experimenter: ExperimenterAction.Onf } r:
                // os-ken decodes ONF bodies (flow monitor requests); Patchbay keeps them as bytes.
                body["experimenter"] = r.Experimenter;
                body["exp_type"] = r.ExpType;
                return Partial("ONF", body);
            case ExperimenterMultipartRequest r:
                body["experimenter"] = r.Experimenter;
                body["exp_type"] = r.ExpType;
                body["data"] = Base64(r.Data);
                return Wrap("OFPExperimenterStatsRequest", body);
            default:
                throw new NotSupportedException($"no os-ken projection for {request.GetType().Name}");
        }
    }

    private static JsonObject MultipartReply(MultipartReply reply)
    {
        var body = new JsonObject { ["flags"] = (ushort)reply.Flags, ["type"] = (ushort)reply.MultipartType };
        (string name, JsonNode entries) = reply switch
        {
            DescReply r => ("OFPDescStatsReply", (JsonNode)Wrap("OFPDescStats", new()
            {
                ["mfr_desc"] = r.MfrDesc,
                ["hw_desc"] = r.HwDesc,
                ["sw_desc"] = r.SwDesc,
                ["serial_num"] = r.SerialNum,
                ["dp_desc"] = r.DpDesc,
            })),
            FlowStatsReply r => ("OFPFlowStatsReply", Array(r.Entries, FlowStats)),
            AggregateStatsReply r => ("OFPAggregateStatsReply", Wrap("OFPAggregateStats", new()
            {
                ["packet_count"] = r.PacketCount,
                ["byte_count"] = r.ByteCount,
                ["flow_count"] = r.FlowCount,
            })),
            TableStatsReply r => ("OFPTableStatsReply", Array(r.Entries, t => Wrap("OFPTableStats", new()
            {
                ["table_id"] = t.TableId,
                ["active_count"] = t.ActiveCount,
                ["lookup_count"] = t.LookupCount,
                ["matched_count"] = t.MatchedCount,
            }))),
            PortStatsReply r => ("OFPPortStatsReply", Array(r.Entries, PortStats)),
            QueueStatsReply r => ("OFPQueueStatsReply", Array(r.Entries, q => Wrap("OFPQueueStats", new()
            {
                ["port_no"] = q.PortNo,
                ["queue_id"] = q.QueueId,
                ["tx_bytes"] = q.TxBytes,
                ["tx_packets"] = q.TxPackets,
                ["tx_errors"] = q.TxErrors,
                ["duration_sec"] = q.DurationSec,
                ["duration_nsec"] = q.DurationNsec,
            }))),
            GroupStatsReply r => ("OFPGroupStatsReply", Array(r.Entries, GroupStats)),
            GroupDescReply r => ("OFPGroupDescStatsReply", Array(r.Entries, g => Wrap("OFPGroupDescStats", new()
            {
                ["length"] = g.Length,
                ["type"] = (byte)g.GroupType,
                ["group_id"] = g.GroupId,
                ["buckets"] = Array(g.Buckets, Bucket),
            }))),
            GroupFeaturesReply r => ("OFPGroupFeaturesStatsReply", Wrap("OFPGroupFeaturesStats", new()
            {
                ["types"] = r.Types,
                ["capabilities"] = (uint)r.Capabilities,
                ["max_groups"] = new JsonArray(r.MaxGroupsAll, r.MaxGroupsSelect, r.MaxGroupsIndirect, r.MaxGroupsFastFailover),
                ["actions"] = new JsonArray(r.ActionsAll, r.ActionsSelect, r.ActionsIndirect, r.ActionsFastFailover),
            })),
            MeterStatsReply r => ("OFPMeterStatsReply", Array(r.Entries, MeterStats)),
            MeterConfigReply r => ("OFPMeterConfigStatsReply", Array(r.Entries, c => Wrap("OFPMeterConfigStats", new()
            {
                ["length"] = c.Length,
                ["flags"] = (ushort)c.Flags,
                ["meter_id"] = c.MeterId,
                ["bands"] = Array(c.Bands, MeterBand),
            }))),
            MeterFeaturesReply r => ("OFPMeterFeaturesStatsReply", new JsonArray(Wrap("OFPMeterFeaturesStats", new()
            {
                ["max_meter"] = r.MaxMeter,
                ["band_types"] = r.BandTypes,
                ["capabilities"] = (uint)r.Capabilities,
                ["max_bands"] = r.MaxBands,
                ["max_color"] = r.MaxColor,
            }))),
            TableFeaturesReply => ("OFPTableFeaturesStatsReply", Opaque()),
            PortDescReply r => ("OFPPortDescStatsReply", Array(r.Entries, Port)),
            ExperimenterMultipartReply r => ("OFPExperimenterStatsReply", Wrap("OFPExperimenterMultipart", new()
            {
                ["experimenter"] = r.Experimenter,
                ["exp_type"] = r.ExpType,
                ["data"] = Base64(r.Data),
            })),
            _ => throw new NotSupportedException($"no os-ken projection for {reply.GetType().Name}"),
        };
        body["body"] = entries;
        return Wrap(name, body);
    }

    private static JsonObject FlowFilter(JsonObject body, FlowMatchRequest request)
    {
        body["table_id"] = request.TableId;
        body["out_port"] = request.OutPort;
        body["out_group"] = request.OutGroup;
        body["cookie"] = request.Cookie;
        body["cookie_mask"] = request.CookieMask;
        body["match"] = Match(request.Match);
        return body;
    }

    private static JsonObject FlowStats(FlowStats stats) => Wrap("OFPFlowStats", new()
    {
        ["length"] = stats.Length,
        ["table_id"] = stats.TableId,
        ["duration_sec"] = stats.DurationSec,
        ["duration_nsec"] = stats.DurationNsec,
        ["priority"] = stats.Priority,
        ["idle_timeout"] = stats.IdleTimeout,
        ["hard_timeout"] = stats.HardTimeout,
        ["flags"] = (ushort)stats.Flags,
        ["cookie"] = stats.Cookie,
        ["packet_count"] = stats.PacketCount,
        ["byte_count"] = stats.ByteCount,
        ["match"] = Match(stats.Match),
        ["instructions"] = Array(stats.Instructions, Instruction),
    });

    private static JsonObject PortStats(PortStats stats) => Wrap("OFPPortStats", new()
    {
        ["port_no"] = stats.PortNo,
        ["rx_packets"] = stats.RxPackets,
        ["tx_packets"] = stats.TxPackets,
        ["rx_bytes"] = stats.RxBytes,
        ["tx_bytes"] = stats.TxBytes,
        ["rx_dropped"] = stats.RxDropped,
        ["tx_dropped"] = stats.TxDropped,
        ["rx_errors"] = stats.RxErrors,
        ["tx_errors"] = stats.TxErrors,
        ["rx_frame_err"] = stats.RxFrameErr,
        ["rx_over_err"] = stats.RxOverErr,
        ["rx_crc_err"] = stats.RxCrcErr,
        ["collisions"] = stats.Collisions,
        ["duration_sec"] = stats.DurationSec,
        ["duration_nsec"] = stats.DurationNsec,
    });

    private static JsonObject GroupStats(GroupStats stats) => Wrap("OFPGroupStats", new()
    {
        ["length"] = stats.Length,
        ["group_id"] = stats.GroupId,
        ["ref_count"] = stats.RefCount,
        ["packet_count"] = stats.PacketCount,
        ["byte_count"] = stats.ByteCount,
        ["duration_sec"] = stats.DurationSec,
        ["duration_nsec"] = stats.DurationNsec,
        ["bucket_stats"] = Array(stats.BucketStats, b => Wrap("OFPBucketCounter", new()
        {
            ["packet_count"] = b.PacketCount,
            ["byte_count"] = b.ByteCount,
        })),
    });

    private static JsonObject MeterStats(MeterStats stats) => Wrap("OFPMeterStats", new()
    {
        ["meter_id"] = stats.MeterId,
        ["len"] = stats.Length,
        ["flow_count"] = stats.FlowCount,
        ["packet_in_count"] = stats.PacketInCount,
        ["byte_in_count"] = stats.ByteInCount,
        ["duration_sec"] = stats.DurationSec,
        ["duration_nsec"] = stats.DurationNsec,
        ["band_stats"] = Array(stats.BandStats, b => Wrap("OFPMeterBandStats", new()
        {
            ["packet_band_count"] = b.PacketBandCount,
            ["byte_band_count"] = b.ByteBandCount,
        })),
    });
}
