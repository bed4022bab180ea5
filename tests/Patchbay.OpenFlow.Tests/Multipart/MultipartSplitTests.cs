// Cutting a reply or request that is too long for one message into MORE-flagged parts, and joining
// the decoded parts back into the original.
using FsCheck;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Tests.Multipart;

public class MultipartSplitTests
{
    [Fact]
    public void Split_FlowStatsAboveOneMessage_PartsFitCarryMoreAndCombineBack()
    {
        FlowStats[] flows = [.. Enumerable.Range(0, 1200).Select(i => MultipartRoundTripTests.SampleFlow((ulong)i))];
        var whole = new FlowStatsReply(flows) { Xid = 42 };
        Assert.True(whole.Length > OfpConstants.MaxMessageLength);

        IReadOnlyList<MultipartReply> parts = whole.Split();

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.Length <= OfpConstants.MaxMessageLength, $"part of {p.Length} bytes"));
        Assert.All(parts, p => Assert.Equal(42u, p.Xid));
        Assert.All(parts.SkipLast(1), p => Assert.Equal(MultipartReplyFlags.More, p.Flags));
        Assert.Equal(MultipartReplyFlags.None, parts[^1].Flags);
        MultipartReply[] decoded = [.. parts.Select(p => (MultipartReply)OfpMessageReader.Decode(p.ToBytes()))];
        Assert.Equal(whole, MultipartReply.Combine(decoded));
    }

    [Fact]
    public void Split_PortStatsWithSmallLimit_PacksWholeEntriesGreedily()
    {
        var whole = new PortStatsReply([.. Enumerable.Range(1, 5).Select(i => MultipartRoundTripTests.SamplePort((uint)i))]);

        IReadOnlyList<MultipartReply> parts = whole.Split(MultipartReply.HeaderSize + (2 * PortStats.Size) + 10);

        Assert.Equal([2, 2, 1], parts.Select(p => ((PortStatsReply)p).Entries.Count));
    }

    [Fact]
    public void Split_ReplyThatFits_ReturnsItUnchanged()
    {
        var reply = new TableStatsReply([new TableStats(0, 1, 2, 3)]) { Xid = 1, Flags = MultipartReplyFlags.More };

        Assert.Same(reply, Assert.Single(reply.Split()));
    }

    [Fact]
    public void Split_EntryLargerThanLimit_Throws()
    {
        var reply = new PortStatsReply([MultipartRoundTripTests.SamplePort(1)]);

        Assert.Throws<InvalidOperationException>(() => reply.Split(MultipartReply.HeaderSize + PortStats.Size - 1));
    }

    [Fact]
    public void Split_SingleStructureAboveLimit_Throws()
    {
        var desc = new DescReply("m", "h", "s", "n", "d");

        Assert.Throws<InvalidOperationException>(() => desc.Split(MultipartReply.HeaderSize + 100));
    }

    [Fact]
    public void Split_LimitBelowMultipartHeader_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableStatsReply([]).Split(MultipartReply.HeaderSize - 1));
    }

    [Fact]
    public void Split_TableFeaturesRequestVector_CutsBetweenTablesAndCombinesBack()
    {
        var whole = MultipartKit.Vector<TableFeaturesRequest>("4-55-ofp_table_features_request.packet");

        IReadOnlyList<MultipartRequest> parts = whole.Split(4096);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.Length <= 4096, $"part of {p.Length} bytes"));
        Assert.All(parts.SkipLast(1), p => Assert.Equal(MultipartRequestFlags.More, p.Flags));
        MultipartRequest[] decoded = [.. parts.Select(p => (MultipartRequest)OfpMessageReader.Decode(p.ToBytes()))];
        // os-ken's vector itself carries REQ_MORE; the last part keeps it and Combine clears it.
        Assert.Equal(whole.Flags, parts[^1].Flags);
        Assert.Equal(whole with { Flags = MultipartRequestFlags.None }, MultipartRequest.Combine(decoded));
    }

    [Fact]
    public void Split_TableFeaturesBodyNotTiledByEntries_Throws()
    {
        var request = new TableFeaturesRequest(new byte[200]);

        Assert.Throws<InvalidOperationException>(() => request.Split(100));
    }

    [Fact]
    public void Split_RequestThatCannotBeCut_Throws()
    {
        var request = new ExperimenterMultipartRequest(1, 2, new byte[100]);

        Assert.Throws<InvalidOperationException>(() => request.Split(64));
    }

    [Property]
    public bool SplitThenCombine_AnyLimit_GivesBackTheReply(PositiveInt extra, byte count)
    {
        var whole = new QueueStatsReply([.. Enumerable.Range(0, count % 50).Select(i => new QueueStats((uint)i, 1, 2, 3, 4, 5, 6))]) { Xid = 8 };
        int limit = MultipartReply.HeaderSize + QueueStats.Size + (extra.Get % 2000);

        IReadOnlyList<MultipartReply> parts = whole.Split(limit);

        return parts.All(p => p.Length <= limit) && MultipartReply.Combine(parts).Equals(whole);
    }
}
