// ofp_bucket and OFPT_GROUP_MOD: sizes, the os-ken vector, and bucket lengths that lie.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Messages;

public class GroupModTests
{
    private const string Vector = "4-21-ofp_group_mod.packet";

    // The vector's one bucket starts after the 16-byte fixed part; its len field is the first u16.
    private const int BucketLenOffset = 16;

    [Fact]
    public void Bucket_WithoutActions_WritesExactlySizeBytes()
    {
        var bucket = new Bucket(3, 1, OfpGroupId.Any, []);

        byte[] bytes = MessageKit.Written(64, (ref WireWriter w) => bucket.Write(ref w));

        Assert.Equal(16, Bucket.Size);
        Assert.Equal("0010" + "0003" + "00000001" + "FFFFFFFF" + "00000000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Bucket_WithOutput_LengthCountsTheAction()
    {
        var bucket = new Bucket([new OutputAction(2)]);

        byte[] bytes = MessageKit.Written(64, (ref WireWriter w) => bucket.Write(ref w));

        Assert.Equal(Bucket.Size + OutputAction.Size, bucket.Length);
        Assert.Equal(bucket.Length, bytes.Length);
        var reader = new WireReader(bytes);
        Assert.Equal(bucket, Bucket.Read(ref reader));
    }

    [Fact]
    public void RoundTrip_SelectGroupWithTwoBuckets_EqualsOriginal()
    {
        var message = new GroupMod(
            GroupModCommand.Add,
            GroupType.Select,
            42,
            [new Bucket(10, OfpPortNo.Any, OfpGroupId.Any, [new OutputAction(1)]), new Bucket(20, 2, OfpGroupId.Any, [new SetQueueAction(1), new OutputAction(2)])])
        {
            Xid = 3,
        };

        GroupMod decoded = MessageKit.RoundTrip(message);

        Assert.Equal(GroupMod.Size + 32 + 40, decoded.Length);
    }

    [Fact]
    public void Encode_NoBuckets_WritesExactlySizeBytes()
    {
        byte[] bytes = new GroupMod(GroupModCommand.Delete, GroupType.All, OfpGroupId.All, []).ToBytes();

        Assert.Equal(16, GroupMod.Size);
        Assert.Equal(GroupMod.Size, bytes.Length);
    }

    [Fact]
    public void Decode_OsKenVector_FieldsMatchJson()
    {
        GroupMod message = MessageKit.Vector<GroupMod>(Vector);

        Assert.Equal(GroupModCommand.Add, message.Command);
        Assert.Equal(GroupType.All, message.GroupType);
        Assert.Equal(1u, message.GroupId);
        Bucket bucket = Assert.Single(message.Buckets);
        Assert.Equal(32, bucket.Length);
        Assert.Equal(1, bucket.Weight);
        Assert.Equal(1u, bucket.WatchPort);
        Assert.Equal(1u, bucket.WatchGroup);
        Assert.Equal(new OutputAction(2, 0xffff), Assert.Single(bucket.Actions));
    }

    [Theory]
    [InlineData(48)]
    [InlineData(0xffff)]
    public void Decode_BucketLenOverrunsMessage_ThrowsBadElementLength(ushort len)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), BucketLenOffset, len);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_BucketLenBelowBucketHeader_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), BucketLenOffset, 8);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ActionLenOverrunsBucket_ThrowsBadActionLength()
    {
        // Shrink the bucket to 24 bytes: its 16-byte output action no longer fits in the 8 left for actions.
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), BucketLenOffset, 24);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_TrailingBytesTooShortForABucket_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(Vector), 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }
}
