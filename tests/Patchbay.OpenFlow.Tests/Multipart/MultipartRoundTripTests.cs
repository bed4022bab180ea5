// Every multipart request and reply body, built field by field, survives encode → decode unchanged;
// every fixed-size structure writes exactly its spec size.
using System.Net.NetworkInformation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Multipart;

public class MultipartRoundTripTests
{
    internal static FlowStats SampleFlow(ulong cookie) => new()
    {
        TableId = 20,
        DurationSec = 12,
        DurationNsec = 345_000,
        Priority = 1000,
        IdleTimeout = 10,
        HardTimeout = 0,
        Flags = FlowModFlags.SendFlowRem,
        Cookie = cookie,
        PacketCount = 7,
        ByteCount = 9000,
        Match = new OfpMatch([Oxm.InPort(3), Oxm.EthType(0x0800)]),
        Instructions = [new ApplyActionsInstruction([new OutputAction(4)]), new GotoTableInstruction(40)],
    };

    internal static PortStats SamplePort(uint portNo) => new()
    {
        PortNo = portNo,
        RxPackets = 1,
        TxPackets = 2,
        RxBytes = 3,
        TxBytes = 4,
        RxDropped = 5,
        TxDropped = 6,
        RxErrors = 7,
        TxErrors = 8,
        RxFrameErr = 9,
        RxOverErr = 10,
        RxCrcErr = 11,
        Collisions = 12,
        DurationSec = 13,
        DurationNsec = 14,
    };

    public static TheoryData<MultipartRequest> Requests() =>
    [
        new DescRequest(),
        new FlowStatsRequest(),
        new FlowStatsRequest
        {
            TableId = 20,
            OutPort = 5,
            OutGroup = 6,
            Cookie = 0x0100_0000_0000_0042,
            CookieMask = 0xff00_0000_0000_0000,
            Match = new OfpMatch([Oxm.EthType(0x0806)]),
        },
        new AggregateStatsRequest { TableId = 0, Cookie = 9, CookieMask = ulong.MaxValue },
        new TableStatsRequest(),
        new PortStatsRequest(),
        new PortStatsRequest(7),
        new PortDescRequest(),
        new QueueStatsRequest(),
        new QueueStatsRequest(3, 1),
        new GroupStatsRequest(),
        new GroupStatsRequest(12),
        new GroupDescRequest(),
        new GroupFeaturesRequest(),
        new MeterStatsRequest(),
        new MeterStatsRequest(100),
        new MeterConfigRequest(100),
        new MeterFeaturesRequest(),
        new TableFeaturesRequest(),
        new TableFeaturesRequest(new byte[] { 0, 64, 0, 0, 0, 0, 0, 0 }) { Flags = MultipartRequestFlags.More },
        new ExperimenterMultipartRequest(0x4f4e4600, 1, new byte[] { 1, 2, 3 }),
    ];

    public static TheoryData<MultipartReply> Replies() =>
    [
        new DescReply("Nicira, Inc.", "Open vSwitch", "3.3.0", "None", "pb0 on host-1"),
        new FlowStatsReply([]),
        new FlowStatsReply([SampleFlow(1), new FlowStats(), SampleFlow(2)]) { Flags = MultipartReplyFlags.More },
        new AggregateStatsReply(7, 574, 6),
        new TableStatsReply([new TableStats(0, 4, 100, 90), new TableStats(254, 0, 0, 0)]),
        new PortStatsReply([SamplePort(1), SamplePort(OfpPortNo.Local)]),
        new PortDescReply(
        [
            new PortDescription(
                1,
                PhysicalAddress.Parse("02-00-00-00-00-01"),
                "veth1",
                OfpPortConfig.None,
                OfpPortState.Live,
                OfpPortFeatures.Rate10GbFd | OfpPortFeatures.Copper,
                OfpPortFeatures.None,
                OfpPortFeatures.None,
                OfpPortFeatures.None,
                10_000_000,
                10_000_000),
        ]),
        new QueueStatsReply([new QueueStats(1, 0, 100, 2, 0, 5, 6), new QueueStats(2, 1, 0, 0, 1, 0, 0)]),
        new GroupStatsReply(
        [
            new GroupStats { GroupId = 1, RefCount = 2, PacketCount = 3, ByteCount = 4, DurationSec = 5, DurationNsec = 6 },
            new GroupStats { GroupId = 7, BucketStats = [new BucketCounter(8, 9), new BucketCounter(10, 11)] },
        ]),
        new GroupDescReply(
        [
            new GroupDescription(GroupType.Select, 5, [new Bucket(50, OfpPortNo.Any, OfpGroupId.Any, [new OutputAction(2)]), new Bucket(50, 3, OfpGroupId.Any, [])]),
            new GroupDescription(GroupType.Indirect, 6, []),
        ]),
        new GroupFeaturesReply
        {
            Types = 0b1111,
            Capabilities = GroupCapabilities.SelectWeight | GroupCapabilities.Chaining,
            MaxGroupsAll = 1,
            MaxGroupsSelect = 2,
            MaxGroupsIndirect = 3,
            MaxGroupsFastFailover = 4,
            ActionsAll = 5,
            ActionsSelect = 6,
            ActionsIndirect = 7,
            ActionsFastFailover = 8,
        },
        new MeterStatsReply(
        [
            new MeterStats { MeterId = 1, FlowCount = 2, PacketInCount = 3, ByteInCount = 4, DurationSec = 5, DurationNsec = 6, BandStats = [new MeterBandStats(7, 8)] },
            new MeterStats { MeterId = 9 },
        ]),
        new MeterConfigReply(
        [
            new MeterConfig(MeterFlags.Kbps | MeterFlags.Stats, 1, [new MeterBandDrop(1000, 10), new MeterBandDscpRemark(2000, 20, 1)]),
            new MeterConfig(MeterFlags.Pktps, 2, []),
        ]),
        new MeterFeaturesReply(16_777_216, 0b110, MeterFlags.Kbps | MeterFlags.Pktps, 255, 0),
        new TableFeaturesReply(new byte[] { 0, 64, 1, 2, 3, 4, 5, 6 }),
        new ExperimenterMultipartReply(0xdeadbeaf, 0xcafe8888, new byte[] { 9, 8, 7 }),
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public void RoundTrip_Request_DecodesToEqualRequestAndSameBytes(MultipartRequest request)
    {
        request = request with { Xid = 0x1234 };

        MultipartRequest decoded = MultipartKit.RoundTrip(request);

        Assert.Equal(request.MultipartType, decoded.MultipartType);
        Assert.Equal(request.Flags, decoded.Flags);
        Assert.Equal(0x1234u, decoded.Xid);
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void RoundTrip_Reply_DecodesToEqualReplyAndSameBytes(MultipartReply reply)
    {
        reply = reply with { Xid = 0x5678 };

        MultipartReply decoded = MultipartKit.RoundTrip(reply);

        Assert.Equal(reply.MultipartType, decoded.MultipartType);
        Assert.Equal(reply.Flags, decoded.Flags);
    }

    [Fact]
    public void Encode_MultipartHeader_TypeFlagsAndPadAtSpecOffsets()
    {
        byte[] bytes = new PortStatsRequest(7) { Xid = 1, Flags = MultipartRequestFlags.More }.ToBytes();

        Assert.Equal(MultipartRequest.HeaderSize + PortStatsRequest.Size, bytes.Length);
        Assert.Equal((byte)OfpType.MultipartRequest, bytes[1]);
        Assert.Equal(new byte[] { 0, 4, 0, 1, 0, 0, 0, 0 }, bytes[8..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 7, 0, 0, 0, 0 }, bytes[16..]);
    }

    [Fact]
    public void Encode_EmptyRequests_AreJustTheSixteenByteHeader()
    {
        MultipartRequest[] empty = [new DescRequest(), new TableStatsRequest(), new PortDescRequest(), new GroupDescRequest(), new GroupFeaturesRequest(), new MeterFeaturesRequest(), new TableFeaturesRequest()];

        Assert.All(empty, request => Assert.Equal(MultipartRequest.HeaderSize, request.ToBytes().Length));
        Assert.Equal(16, MultipartRequest.HeaderSize);
        Assert.Equal(16, MultipartReply.HeaderSize);
    }

    [Fact]
    public void Encode_FixedSizeRequestBodies_WriteSpecSizes()
    {
        Assert.Equal(40, FlowMatchRequest.Size);
        Assert.Equal(FlowMatchRequest.Size, MultipartKit.Payload(new FlowStatsRequest()).Length);
        Assert.Equal(FlowMatchRequest.Size, MultipartKit.Payload(new AggregateStatsRequest()).Length);
        Assert.Equal(8, MultipartKit.Payload(new PortStatsRequest()).Length);
        Assert.Equal(8, MultipartKit.Payload(new QueueStatsRequest()).Length);
        Assert.Equal(8, MultipartKit.Payload(new GroupStatsRequest()).Length);
        Assert.Equal(8, MultipartKit.Payload(new MeterStatsRequest()).Length);
        Assert.Equal(8, MultipartKit.Payload(new MeterConfigRequest()).Length);
    }

    [Fact]
    public void Encode_FixedSizeReplyBodies_WriteSpecSizes()
    {
        Assert.Equal(1056, DescReply.Size);
        Assert.Equal(DescReply.Size, MultipartKit.Payload(new DescReply("m", "h", "s", "n", "d")).Length);
        Assert.Equal(24, AggregateStatsReply.Size);
        Assert.Equal(AggregateStatsReply.Size, MultipartKit.Payload(new AggregateStatsReply(1, 2, 3)).Length);
        Assert.Equal(40, GroupFeaturesReply.Size);
        Assert.Equal(GroupFeaturesReply.Size, MultipartKit.Payload(new GroupFeaturesReply()).Length);
        Assert.Equal(16, MeterFeaturesReply.Size);
        Assert.Equal(MeterFeaturesReply.Size, MultipartKit.Payload(new MeterFeaturesReply(1, 2, MeterFlags.None, 3, 4)).Length);
    }

    [Fact]
    public void Write_FixedSizeEntries_WriteSpecSizes()
    {
        Assert.Equal(24, TableStats.Size);
        Assert.Equal(TableStats.Size, MultipartKit.Written(new TableStats(1, 2, 3, 4)).Length);
        Assert.Equal(112, PortStats.Size);
        Assert.Equal(PortStats.Size, MultipartKit.Written(SamplePort(1)).Length);
        Assert.Equal(40, QueueStats.Size);
        Assert.Equal(QueueStats.Size, MultipartKit.Written(new QueueStats(1, 2, 3, 4, 5, 6, 7)).Length);
    }

    [Fact]
    public void Write_VariableEntriesWithoutChildren_WriteTheirFixedPart()
    {
        Assert.Equal(56, FlowStats.Size);
        Assert.Equal(FlowStats.Size, MultipartKit.Written(new FlowStats()).Length);
        Assert.Equal(40, GroupStats.Size);
        Assert.Equal(GroupStats.Size, MultipartKit.Written(new GroupStats()).Length);
        Assert.Equal(8, GroupDescription.Size);
        Assert.Equal(GroupDescription.Size, MultipartKit.Written(new GroupDescription(GroupType.All, 1, [])).Length);
        Assert.Equal(40, MeterStats.Size);
        Assert.Equal(MeterStats.Size, MultipartKit.Written(new MeterStats()).Length);
        Assert.Equal(8, MeterConfig.Size);
        Assert.Equal(MeterConfig.Size, MultipartKit.Written(new MeterConfig(MeterFlags.Kbps, 1, [])).Length);
    }

    [Fact]
    public void Write_EntriesWithCounters_GrowBySixteenPerCounterAndDeclareIt()
    {
        var group = new GroupStats { BucketStats = [new BucketCounter(1, 2), new BucketCounter(3, 4), new BucketCounter(5, 6)] };
        var meter = new MeterStats { BandStats = [new MeterBandStats(1, 2), new MeterBandStats(3, 4)] };

        byte[] groupBytes = MultipartKit.Written(group);
        byte[] meterBytes = MultipartKit.Written(meter);

        Assert.Equal(GroupStats.Size + (3 * BucketCounter.Size), groupBytes.Length);
        Assert.Equal(new byte[] { 0, 88 }, groupBytes[..2]);
        Assert.Equal(MeterStats.Size + (2 * MeterBandStats.Size), meterBytes.Length);
        Assert.Equal(new byte[] { 0, 72 }, meterBytes[4..6]);
    }

    [Fact]
    public void Write_FlowStats_LengthCoversMatchPaddingAndInstructions()
    {
        FlowStats flow = SampleFlow(5);

        byte[] bytes = MultipartKit.Written(flow);

        // Match: 4 + in_port 8 + eth_type 6 = 18, padded to 24; apply-actions 8 + output 16 = 24; goto 8.
        Assert.Equal(FlowStats.FixedSize + 24 + 24 + 8, bytes.Length);
        Assert.Equal(flow.Length, (bytes[0] << 8) | bytes[1]);
    }

    [Fact]
    public void Encode_DescStringTooLong_TruncatesKeepingTerminatingNul()
    {
        var reply = new DescReply(new string('m', 300), "h", "s", new string('n', 40), "d");

        var decoded = (DescReply)OfpMessageReader.Decode(reply.ToBytes());

        Assert.Equal(new string('m', 255), decoded.MfrDesc);
        Assert.Equal(new string('n', 31), decoded.SerialNum);
    }
}
