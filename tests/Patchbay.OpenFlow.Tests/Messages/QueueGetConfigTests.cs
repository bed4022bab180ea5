// ofp_packet_queue, queue properties and OFPT_QUEUE_GET_CONFIG_REQUEST/REPLY.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Messages;

public class QueueGetConfigTests
{
    private const string ReplyVector = "4-36-ofp_queue_get_config_reply.packet";

    // The first queue starts after the 16-byte fixed part: queue_id, port, then len at +8.
    private const int FirstQueueLenOffset = 24;

    // Its first property starts after the 16-byte queue header; len at +2.
    private const int FirstPropertyLenOffset = 34;

    [Fact]
    public void Request_Encode_WritesExactlySizeBytes()
    {
        byte[] bytes = new QueueGetConfigRequest(OfpPortNo.Any).ToBytes();

        Assert.Equal(16, QueueGetConfigRequest.Size);
        Assert.Equal(QueueGetConfigRequest.Size, bytes.Length);
    }

    [Fact]
    public void Request_OsKenVector_PortIsAny()
    {
        QueueGetConfigRequest request = MessageKit.Vector<QueueGetConfigRequest>("4-35-ofp_queue_get_config_request.packet");

        Assert.Equal(OfpPortNo.Any, request.Port);
        MessageKit.RoundTrip(request);
    }

    [Fact]
    public void Property_MinRate_WritesExactlySizeBytes()
    {
        byte[] bytes = MessageKit.Written(32, (ref WireWriter w) => new MinRateQueueProperty(10).Write(ref w));

        Assert.Equal(16, QueueProperty.Size);
        Assert.Equal("0001" + "0010" + "00000000" + "000A" + "000000000000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Queue_WithoutProperties_WritesHeaderSizeBytes()
    {
        byte[] bytes = MessageKit.Written(32, (ref WireWriter w) => new PacketQueue(1, 2, []).Write(ref w));

        Assert.Equal(PacketQueue.HeaderSize, bytes.Length);
        Assert.Equal("00000001" + "00000002" + "0010" + "000000000000", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Reply_RoundTrip_EqualsOriginal()
    {
        var reply = new QueueGetConfigReply(
            3,
            [
                new PacketQueue(1, 3, [new MinRateQueueProperty(100), new MaxRateQueueProperty(500)]),
                new PacketQueue(2, 3, [new ExperimenterQueueProperty(0x2320, new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 })]),
            ])
        {
            Xid = 12,
        };

        QueueGetConfigReply decoded = MessageKit.RoundTrip(reply);

        Assert.Equal(QueueGetConfigReply.Size + 48 + 40, decoded.Length);
    }

    [Fact]
    public void Reply_OsKenVectorWithUnpaddedExperimenterProperties_FieldsMatchJson()
    {
        QueueGetConfigReply reply = MessageKit.Vector<QueueGetConfigReply>(ReplyVector);

        Assert.Equal(OfpPortNo.Any, reply.Port);
        Assert.Equal([99u, 88u, 77u], reply.Queues.Select(q => q.QueueId));
        Assert.Equal([64, 65, 66], reply.Queues.Select(q => q.Length));
        Assert.All(reply.Queues, q => Assert.Equal(77u, q.Port));
        PacketQueue second = reply.Queues[1];
        Assert.Equal(new MinRateQueueProperty(100), second.Properties[0]);
        Assert.Equal(new MaxRateQueueProperty(200), second.Properties[1]);
        Assert.Equal(new ExperimenterQueueProperty(999, new byte[] { 1 }), second.Properties[2]);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(300)]
    public void Reply_QueueLenOutsideMessage_ThrowsBadElementLength(ushort len)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(ReplyVector), FirstQueueLenOffset, len);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Reply_PropertyLenOverrunsQueue_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(ReplyVector), FirstPropertyLenOffset, 64);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Reply_RatePropertyLenNot16_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(ReplyVector), FirstPropertyLenOffset, 8);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Reply_UnknownPropertyType_ThrowsBadValue()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(ReplyVector), FirstPropertyLenOffset - 2, 5);

        Assert.Equal(ProtocolErrorReason.BadValue, Corruption.RejectReason(frame));
    }
}
