// The multipart golden vectors (os-ken's hand-built 4-N-ofp_* messages): each decodes to the modelled
// type, agrees with os-ken's decoding on the fields checked here, and re-encodes to identical bytes.
// The exhaustive field-by-field comparison lives in the golden suite.
using System.Net.NetworkInformation;
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;
using Patchbay.OpenFlow.Tests.Golden;

namespace Patchbay.OpenFlow.Tests.Multipart;

public class MultipartGoldenTests
{
    public static TheoryData<string> MultipartVectors() =>
    [
        "4-0-ofp_desc_reply.packet",
        "4-11-ofp_flow_stats_request.packet",
        "4-12-ofp_flow_stats_reply.packet",
        "4-24-ofp_desc_request.packet",
        "4-25-ofp_aggregate_stats_request.packet",
        "4-26-ofp_aggregate_stats_reply.packet",
        "4-27-ofp_table_stats_request.packet",
        "4-28-ofp_table_stats_reply.packet",
        "4-29-ofp_port_stats_request.packet",
        "4-30-ofp_port_stats_reply.packet",
        "4-31-ofp_group_features_request.packet",
        "4-32-ofp_group_features_reply.packet",
        "4-33-ofp_group_desc_request.packet",
        "4-34-ofp_group_desc_reply.packet",
        "4-37-ofp_queue_stats_request.packet",
        "4-38-ofp_queue_stats_reply.packet",
        "4-47-ofp_meter_config_request.packet",
        "4-48-ofp_meter_config_reply.packet",
        "4-49-ofp_meter_stats_request.packet",
        "4-50-ofp_meter_stats_reply.packet",
        "4-51-ofp_meter_features_request.packet",
        "4-52-ofp_meter_features_reply.packet",
        "4-53-ofp_port_desc_request.packet",
        "4-54-ofp_port_desc_reply.packet",
        "4-55-ofp_table_features_request.packet",
        "4-56-ofp_table_features_reply.packet",
        "4-57-ofp_group_stats_request.packet",
        "4-58-ofp_group_stats_reply.packet",
        "4-61-ofp_experimenter_request.packet",
        "4-62-ofp_experimenter_reply.packet",
        "4-63-onf_flow_monitor_request.packet",
    ];

    [Theory]
    [MemberData(nameof(MultipartVectors))]
    public void Decode_MultipartVector_MatchesOsKenTypeAndFlagsAndReEncodesIdentically(string vector)
    {
        OfpMessage message = MultipartKit.Vector<OfpMessage>(vector);
        JsonObject body = OsKenBody(vector);

        (ushort type, ushort flags) = message switch
        {
            MultipartRequest request => ((ushort)request.MultipartType, (ushort)request.Flags),
            MultipartReply reply => ((ushort)reply.MultipartType, (ushort)reply.Flags),
            _ => throw new Xunit.Sdk.XunitException($"{vector} decoded to {message.GetType().Name}, not a multipart message"),
        };
        Assert.Equal(body["type"]!.GetValue<ushort>(), type);
        Assert.Equal(body["flags"]!.GetValue<ushort>(), flags);
    }

    [Fact]
    public void Decode_DescReply_StringsMatchOsKen()
    {
        var reply = MultipartKit.Vector<DescReply>("4-0-ofp_desc_reply.packet");
        JsonNode desc = OsKenBody("4-0-ofp_desc_reply.packet")["body"]!["OFPDescStats"]!;

        Assert.Equal(desc["mfr_desc"]!.GetValue<string>(), reply.MfrDesc);
        Assert.Equal(desc["hw_desc"]!.GetValue<string>(), reply.HwDesc);
        Assert.Equal(desc["sw_desc"]!.GetValue<string>(), reply.SwDesc);
        Assert.Equal(desc["serial_num"]!.GetValue<string>(), reply.SerialNum);
        Assert.Equal(desc["dp_desc"]!.GetValue<string>(), reply.DpDesc);
    }

    [Fact]
    public void Decode_FlowStatsReply_EntriesMatchOsKen()
    {
        var reply = MultipartKit.Vector<FlowStatsReply>("4-12-ofp_flow_stats_reply.packet");
        JsonArray entries = OsKenBody("4-12-ofp_flow_stats_reply.packet")["body"]!.AsArray();

        Assert.Equal(entries.Count, reply.Entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            JsonNode expected = entries[i]!["OFPFlowStats"]!;
            FlowStats actual = reply.Entries[i];
            Assert.Equal(expected["length"]!.GetValue<int>(), actual.Length);
            Assert.Equal(expected["table_id"]!.GetValue<byte>(), actual.TableId);
            Assert.Equal(expected["duration_sec"]!.GetValue<uint>(), actual.DurationSec);
            Assert.Equal(expected["duration_nsec"]!.GetValue<uint>(), actual.DurationNsec);
            Assert.Equal(expected["priority"]!.GetValue<ushort>(), actual.Priority);
            Assert.Equal(expected["packet_count"]!.GetValue<ulong>(), actual.PacketCount);
            Assert.Equal(expected["byte_count"]!.GetValue<ulong>(), actual.ByteCount);
            Assert.Equal(expected["match"]!["OFPMatch"]!["length"]!.GetValue<int>(), actual.Match.Length);
            Assert.Equal(expected["instructions"]!.AsArray().Count, actual.Instructions.Count);
        }

        OxmField ethType = Assert.Single(reply.Entries[1].Match.Fields);
        Assert.Equal(OxmBasicField.EthType, ethType.BasicField);
        Assert.Equal(2054, ethType.ValueAsUInt16());
        var apply = Assert.IsType<ApplyActionsInstruction>(Assert.Single(reply.Entries[1].Instructions));
        Assert.Equal(OfpPortNo.Normal, Assert.IsType<OutputAction>(Assert.Single(apply.Actions)).Port);
        Assert.Equal(1, Assert.IsType<GotoTableInstruction>(Assert.Single(reply.Entries[2].Instructions)).TableId);
    }

    [Fact]
    public void Decode_FlowStatsRequest_FilterMatchesOsKen()
    {
        var request = MultipartKit.Vector<FlowStatsRequest>("4-11-ofp_flow_stats_request.packet");
        JsonObject expected = OsKenBody("4-11-ofp_flow_stats_request.packet");

        Assert.Equal(expected["table_id"]!.GetValue<byte>(), request.TableId);
        Assert.Equal(expected["out_port"]!.GetValue<uint>(), request.OutPort);
        Assert.Equal(expected["out_group"]!.GetValue<uint>(), request.OutGroup);
        Assert.Equal(expected["cookie"]!.GetValue<ulong>(), request.Cookie);
        Assert.Equal(expected["cookie_mask"]!.GetValue<ulong>(), request.CookieMask);
        Assert.Empty(request.Match.Fields);
    }

    [Fact]
    public void Decode_AggregateStatsReply_CountsMatchOsKen()
    {
        var reply = MultipartKit.Vector<AggregateStatsReply>("4-26-ofp_aggregate_stats_reply.packet");
        JsonNode expected = OsKenBody("4-26-ofp_aggregate_stats_reply.packet")["body"]!["OFPAggregateStats"]!;

        Assert.Equal(expected["packet_count"]!.GetValue<ulong>(), reply.PacketCount);
        Assert.Equal(expected["byte_count"]!.GetValue<ulong>(), reply.ByteCount);
        Assert.Equal(expected["flow_count"]!.GetValue<uint>(), reply.FlowCount);
    }

    [Fact]
    public void Decode_TableStatsReply_EntriesMatchOsKen()
    {
        var reply = MultipartKit.Vector<TableStatsReply>("4-28-ofp_table_stats_reply.packet");
        JsonArray entries = OsKenBody("4-28-ofp_table_stats_reply.packet")["body"]!.AsArray();

        Assert.Equal(entries.Count, reply.Entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            JsonNode expected = entries[i]!["OFPTableStats"]!;
            Assert.Equal(
                new TableStats(
                    expected["table_id"]!.GetValue<byte>(),
                    expected["active_count"]!.GetValue<uint>(),
                    expected["lookup_count"]!.GetValue<ulong>(),
                    expected["matched_count"]!.GetValue<ulong>()),
                reply.Entries[i]);
        }
    }

    [Fact]
    public void Decode_PortStatsReply_CountersMatchOsKen()
    {
        var reply = MultipartKit.Vector<PortStatsReply>("4-30-ofp_port_stats_reply.packet");
        JsonArray entries = OsKenBody("4-30-ofp_port_stats_reply.packet")["body"]!.AsArray();

        Assert.Equal(entries.Count, reply.Entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            JsonNode expected = entries[i]!["OFPPortStats"]!;
            PortStats actual = reply.Entries[i];
            Assert.Equal(expected["port_no"]!.GetValue<uint>(), actual.PortNo);
            Assert.Equal(expected["rx_packets"]!.GetValue<ulong>(), actual.RxPackets);
            Assert.Equal(expected["tx_packets"]!.GetValue<ulong>(), actual.TxPackets);
            Assert.Equal(expected["rx_bytes"]!.GetValue<ulong>(), actual.RxBytes);
            Assert.Equal(expected["tx_bytes"]!.GetValue<ulong>(), actual.TxBytes);
            Assert.Equal(expected["collisions"]!.GetValue<ulong>(), actual.Collisions);
            Assert.Equal(expected["duration_sec"]!.GetValue<uint>(), actual.DurationSec);
        }
    }

    [Fact]
    public void Decode_PortDescReply_PortsMatchOsKen()
    {
        var reply = MultipartKit.Vector<PortDescReply>("4-54-ofp_port_desc_reply.packet");
        JsonArray entries = OsKenBody("4-54-ofp_port_desc_reply.packet")["body"]!.AsArray();

        Assert.Equal(entries.Count, reply.Entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            JsonNode expected = entries[i]!["OFPPort"]!;
            PortDescription actual = reply.Entries[i];
            Assert.Equal(expected["port_no"]!.GetValue<uint>(), actual.PortNo);
            Assert.Equal(expected["name"]!.GetValue<string>(), actual.Name);
            Assert.Equal(PhysicalAddress.Parse(expected["hw_addr"]!.GetValue<string>().Replace(':', '-')), actual.HwAddr);
            Assert.Equal(expected["state"]!.GetValue<uint>(), (uint)actual.State);
            Assert.Equal(expected["curr"]!.GetValue<uint>(), (uint)actual.Curr);
            Assert.Equal(expected["curr_speed"]!.GetValue<uint>(), actual.CurrSpeed);
        }
    }

    [Fact]
    public void Decode_QueueStatsReply_EntriesMatchOsKen()
    {
        var reply = MultipartKit.Vector<QueueStatsReply>("4-38-ofp_queue_stats_reply.packet");
        JsonArray entries = OsKenBody("4-38-ofp_queue_stats_reply.packet")["body"]!.AsArray();

        Assert.Equal(entries.Count, reply.Entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            JsonNode expected = entries[i]!["OFPQueueStats"]!;
            Assert.Equal(expected["port_no"]!.GetValue<uint>(), reply.Entries[i].PortNo);
            Assert.Equal(expected["queue_id"]!.GetValue<uint>(), reply.Entries[i].QueueId);
            Assert.Equal(expected["tx_bytes"]!.GetValue<ulong>(), reply.Entries[i].TxBytes);
        }
    }

    [Fact]
    public void Decode_GroupStatsReply_CountersMatchOsKen()
    {
        var reply = MultipartKit.Vector<GroupStatsReply>("4-58-ofp_group_stats_reply.packet");
        JsonNode expected = OsKenBody("4-58-ofp_group_stats_reply.packet")["body"]![0]!["OFPGroupStats"]!;
        GroupStats actual = Assert.Single(reply.Entries);

        Assert.Equal(expected["length"]!.GetValue<int>(), actual.Length);
        Assert.Equal(expected["group_id"]!.GetValue<uint>(), actual.GroupId);
        Assert.Equal(expected["ref_count"]!.GetValue<uint>(), actual.RefCount);
        Assert.Equal(expected["packet_count"]!.GetValue<ulong>(), actual.PacketCount);
        Assert.Equal(expected["byte_count"]!.GetValue<ulong>(), actual.ByteCount);
        Assert.Equal(expected["duration_nsec"]!.GetValue<uint>(), actual.DurationNsec);
        JsonNode bucket = expected["bucket_stats"]![0]!["OFPBucketCounter"]!;
        Assert.Equal(new BucketCounter(bucket["packet_count"]!.GetValue<ulong>(), bucket["byte_count"]!.GetValue<ulong>()), Assert.Single(actual.BucketStats));
    }

    [Fact]
    public void Decode_GroupDescReply_GroupAndBucketsMatchOsKen()
    {
        var reply = MultipartKit.Vector<GroupDescReply>("4-34-ofp_group_desc_reply.packet");
        JsonNode expected = OsKenBody("4-34-ofp_group_desc_reply.packet")["body"]![0]!["OFPGroupDescStats"]!;
        GroupDescription actual = Assert.Single(reply.Entries);

        Assert.Equal(expected["length"]!.GetValue<int>(), actual.Length);
        Assert.Equal(expected["type"]!.GetValue<byte>(), (byte)actual.GroupType);
        Assert.Equal(expected["group_id"]!.GetValue<uint>(), actual.GroupId);
        JsonNode bucket = expected["buckets"]![0]!["OFPBucket"]!;
        Bucket actualBucket = Assert.Single(actual.Buckets);
        Assert.Equal(bucket["weight"]!.GetValue<ushort>(), actualBucket.Weight);
        Assert.Equal(bucket["watch_port"]!.GetValue<uint>(), actualBucket.WatchPort);
        Assert.Equal(bucket["watch_group"]!.GetValue<uint>(), actualBucket.WatchGroup);
        Assert.Equal(new OutputAction(2, 0xffff), Assert.Single(actualBucket.Actions));
    }

    [Fact]
    public void Decode_GroupFeaturesReply_FieldsMatchOsKen()
    {
        var reply = MultipartKit.Vector<GroupFeaturesReply>("4-32-ofp_group_features_reply.packet");
        JsonNode expected = OsKenBody("4-32-ofp_group_features_reply.packet")["body"]!["OFPGroupFeaturesStats"]!;
        uint[] maxGroups = [.. expected["max_groups"]!.AsArray().Select(n => n!.GetValue<uint>())];
        uint[] actions = [.. expected["actions"]!.AsArray().Select(n => n!.GetValue<uint>())];

        Assert.Equal(expected["types"]!.GetValue<uint>(), reply.Types);
        Assert.Equal(expected["capabilities"]!.GetValue<uint>(), (uint)reply.Capabilities);
        Assert.Equal(maxGroups, new[] { reply.MaxGroupsAll, reply.MaxGroupsSelect, reply.MaxGroupsIndirect, reply.MaxGroupsFastFailover });
        Assert.Equal(actions, new[] { reply.ActionsAll, reply.ActionsSelect, reply.ActionsIndirect, reply.ActionsFastFailover });
    }

    [Fact]
    public void Decode_MeterStatsReply_BandStatsMatchOsKen()
    {
        var reply = MultipartKit.Vector<MeterStatsReply>("4-50-ofp_meter_stats_reply.packet");
        JsonNode expected = OsKenBody("4-50-ofp_meter_stats_reply.packet")["body"]![0]!["OFPMeterStats"]!;
        MeterStats actual = Assert.Single(reply.Entries);

        Assert.Equal(expected["len"]!.GetValue<int>(), actual.Length);
        Assert.Equal(expected["meter_id"]!.GetValue<uint>(), actual.MeterId);
        Assert.Equal(expected["flow_count"]!.GetValue<uint>(), actual.FlowCount);
        Assert.Equal(expected["duration_nsec"]!.GetValue<uint>(), actual.DurationNsec);
        Assert.Equal(expected["band_stats"]!.AsArray().Count, actual.BandStats.Count);
    }

    [Fact]
    public void Decode_MeterConfigReply_BandsMatchOsKen()
    {
        var reply = MultipartKit.Vector<MeterConfigReply>("4-48-ofp_meter_config_reply.packet");
        JsonNode expected = OsKenBody("4-48-ofp_meter_config_reply.packet")["body"]![0]!["OFPMeterConfigStats"]!;
        MeterConfig actual = Assert.Single(reply.Entries);
        JsonNode band = expected["bands"]![0]!["OFPMeterBandDrop"]!;

        Assert.Equal(expected["length"]!.GetValue<int>(), actual.Length);
        Assert.Equal(expected["flags"]!.GetValue<ushort>(), (ushort)actual.Flags);
        Assert.Equal(expected["meter_id"]!.GetValue<uint>(), actual.MeterId);
        Assert.Equal(new MeterBandDrop(band["rate"]!.GetValue<uint>(), band["burst_size"]!.GetValue<uint>()), Assert.Single(actual.Bands));
    }

    [Fact]
    public void Decode_MeterFeaturesReply_FieldsMatchOsKen()
    {
        var reply = MultipartKit.Vector<MeterFeaturesReply>("4-52-ofp_meter_features_reply.packet");
        JsonNode expected = OsKenBody("4-52-ofp_meter_features_reply.packet")["body"]![0]!["OFPMeterFeaturesStats"]!;

        Assert.Equal(expected["max_meter"]!.GetValue<uint>(), reply.MaxMeter);
        Assert.Equal(expected["band_types"]!.GetValue<uint>(), reply.BandTypes);
        Assert.Equal(expected["capabilities"]!.GetValue<uint>(), (uint)reply.Capabilities);
        Assert.Equal(expected["max_bands"]!.GetValue<byte>(), reply.MaxBands);
        Assert.Equal(expected["max_color"]!.GetValue<byte>(), reply.MaxColor);
    }

    [Fact]
    public void Decode_ExperimenterReply_HeaderAndDataMatchOsKen()
    {
        var reply = MultipartKit.Vector<ExperimenterMultipartReply>("4-62-ofp_experimenter_reply.packet");
        JsonNode expected = OsKenBody("4-62-ofp_experimenter_reply.packet")["body"]!["OFPExperimenterMultipart"]!;

        Assert.Equal(expected["experimenter"]!.GetValue<uint>(), reply.Experimenter);
        Assert.Equal(expected["exp_type"]!.GetValue<uint>(), reply.ExpType);
        Assert.Equal(Convert.FromBase64String(expected["data"]!.GetValue<string>()), reply.Data.ToArray());
    }

    [Fact]
    public void Decode_TableFeaturesReply_KeepsWholeBodyOpaque()
    {
        byte[] bytes = GoldenVectors.Read("4-56-ofp_table_features_reply.packet");

        var reply = MultipartKit.Vector<TableFeaturesReply>("4-56-ofp_table_features_reply.packet");

        Assert.Equal(bytes[MultipartReply.HeaderSize..], reply.Body.ToArray());
    }

    /// <summary>The object inside os-ken's {"ClassName": {...}} wrapper.</summary>
    private static JsonObject OsKenBody(string vector)
    {
        JsonObject root = Assert.IsType<JsonObject>(GoldenVectors.Json(vector));
        return Assert.IsType<JsonObject>(Assert.Single(root).Value);
    }
}
