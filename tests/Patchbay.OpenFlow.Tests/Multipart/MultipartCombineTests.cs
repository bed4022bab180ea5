// Joining replies (and requests) that were split over the MORE flag back into one message.
using FsCheck;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Multipart;

public class MultipartCombineTests
{
    [Fact]
    public void Combine_FlowStatsPartsSplitOverMore_ConcatenatesEntriesInOrderAndClearsMore()
    {
        FlowStats a = MultipartRoundTripTests.SampleFlow(1);
        FlowStats b = MultipartRoundTripTests.SampleFlow(2);
        FlowStats c = MultipartRoundTripTests.SampleFlow(3);
        MultipartReply[] parts =
        [
            new FlowStatsReply([a, b]) { Xid = 9, Flags = MultipartReplyFlags.More },
            new FlowStatsReply([]) { Xid = 9, Flags = MultipartReplyFlags.More },
            new FlowStatsReply([c]) { Xid = 9 },
        ];

        var combined = Assert.IsType<FlowStatsReply>(MultipartReply.Combine(parts));

        Assert.Equal([1UL, 2UL, 3UL], combined.Entries.Select(e => e.Cookie));
        Assert.Equal(MultipartReplyFlags.None, combined.Flags);
        Assert.Equal(9u, combined.Xid);
    }

    [Fact]
    public void Combine_DecodedPortDescParts_EqualsTheUnsplitReply()
    {
        var whole = MultipartKit.Vector<PortDescReply>("4-54-ofp_port_desc_reply.packet");
        var first = new PortDescReply([whole.Entries[0]]) { Xid = whole.Xid, Flags = MultipartReplyFlags.More };
        var second = new PortDescReply([.. whole.Entries.Skip(1)]) { Xid = whole.Xid };
        MultipartReply[] decodedParts = [(MultipartReply)OfpMessageReader.Decode(first.ToBytes()), (MultipartReply)OfpMessageReader.Decode(second.ToBytes())];

        MultipartReply combined = MultipartReply.Combine(decodedParts);

        Assert.Equal(whole, combined);
        Assert.Equal(whole.ToBytes(), combined.ToBytes());
    }

    [Fact]
    public void Combine_SinglePartWithMore_ReturnsItWithMoreCleared()
    {
        var part = new GroupStatsReply([new GroupStats { GroupId = 1 }]) { Xid = 3, Flags = MultipartReplyFlags.More };

        MultipartReply combined = MultipartReply.Combine([part]);

        Assert.Equal(part with { Flags = MultipartReplyFlags.None }, combined);
    }

    [Fact]
    public void Combine_SingleStructureReply_ReturnsTheOnePart()
    {
        var desc = new DescReply("m", "h", "s", "n", "d") { Xid = 4 };

        Assert.Equal(desc, MultipartReply.Combine([desc]));
    }

    [Fact]
    public void Combine_SingleStructureReplyInTwoParts_Throws()
    {
        var first = new AggregateStatsReply(1, 2, 3) { Flags = MultipartReplyFlags.More };
        var second = new AggregateStatsReply(4, 5, 6);

        Assert.Throws<InvalidOperationException>(() => MultipartReply.Combine([first, second]));
    }

    [Fact]
    public void Combine_PartsOfDifferentTypes_Throws()
    {
        MultipartReply[] parts = [new TableStatsReply([]) { Flags = MultipartReplyFlags.More }, new PortStatsReply([])];

        Assert.Throws<InvalidOperationException>(() => MultipartReply.Combine(parts));
    }

    [Fact]
    public void Combine_PartsOfDifferentXids_Throws()
    {
        MultipartReply[] parts = [new TableStatsReply([]) { Xid = 1, Flags = MultipartReplyFlags.More }, new TableStatsReply([]) { Xid = 2 }];

        Assert.Throws<InvalidOperationException>(() => MultipartReply.Combine(parts));
    }

    [Fact]
    public void Combine_NoParts_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => MultipartReply.Combine([]));
        Assert.Throws<InvalidOperationException>(() => MultipartRequest.Combine([]));
    }

    [Fact]
    public void Combine_TableFeaturesReplyParts_ConcatenatesBodies()
    {
        MultipartReply[] parts =
        [
            new TableFeaturesReply(new byte[] { 1, 2 }) { Flags = MultipartReplyFlags.More },
            new TableFeaturesReply(new byte[] { 3 }),
        ];

        var combined = Assert.IsType<TableFeaturesReply>(MultipartReply.Combine(parts));

        Assert.Equal(new byte[] { 1, 2, 3 }, combined.Body.ToArray());
    }

    [Fact]
    public void Combine_TableFeaturesRequestParts_ConcatenatesBodiesAndClearsMore()
    {
        MultipartRequest[] parts =
        [
            new TableFeaturesRequest(new byte[] { 1, 2 }) { Xid = 5, Flags = MultipartRequestFlags.More },
            new TableFeaturesRequest(new byte[] { 3, 4 }) { Xid = 5 },
        ];

        var combined = Assert.IsType<TableFeaturesRequest>(MultipartRequest.Combine(parts));

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, combined.Body.ToArray());
        Assert.Equal(MultipartRequestFlags.None, combined.Flags);
    }

    [Fact]
    public void Combine_ExperimenterPartsOfDifferentExperimenters_Throws()
    {
        MultipartReply[] parts =
        [
            new ExperimenterMultipartReply(1, 1, new byte[] { 1 }) { Flags = MultipartReplyFlags.More },
            new ExperimenterMultipartReply(2, 1, new byte[] { 2 }),
        ];

        Assert.Throws<InvalidOperationException>(() => MultipartReply.Combine(parts));
    }

    [Fact]
    public void Combine_ExperimenterParts_ConcatenatesData()
    {
        MultipartReply[] parts =
        [
            new ExperimenterMultipartReply(7, 1, new byte[] { 1 }) { Flags = MultipartReplyFlags.More },
            new ExperimenterMultipartReply(7, 1, new byte[] { 2, 3 }),
        ];

        var combined = Assert.IsType<ExperimenterMultipartReply>(MultipartReply.Combine(parts));

        Assert.Equal(new byte[] { 1, 2, 3 }, combined.Data.ToArray());
    }

    [Fact]
    public void Combine_SingleStructureRequestInTwoParts_Throws()
    {
        MultipartRequest[] parts = [new PortStatsRequest(1) { Flags = MultipartRequestFlags.More }, new PortStatsRequest(1)];

        Assert.Throws<InvalidOperationException>(() => MultipartRequest.Combine(parts));
    }

    [Property]
    public bool Combine_AnySplitOfTableStats_EqualsTheWholeReply(NonNegativeInt[] cuts, byte count)
    {
        TableStats[] entries = [.. Enumerable.Range(0, count % 40).Select(i => new TableStats((byte)i, (uint)i * 3, (ulong)i * 5, (ulong)i))];
        var whole = new TableStatsReply(entries) { Xid = 77 };
        int[] bounds = [0, .. cuts.Select(c => c.Get % (entries.Length + 1)).Order(), entries.Length];
        MultipartReply[] parts =
        [
            .. bounds.Zip(bounds.Skip(1)).Select((range, i) =>
                (MultipartReply)OfpMessageReader.Decode(new TableStatsReply(entries[range.First..range.Second])
                {
                    Xid = 77,
                    Flags = i < bounds.Length - 2 ? MultipartReplyFlags.More : MultipartReplyFlags.None,
                }.ToBytes())),
        ];

        MultipartReply combined = MultipartReply.Combine(parts);

        return combined.Equals(whole) && combined.ToBytes().AsSpan().SequenceEqual(whole.ToBytes());
    }
}
