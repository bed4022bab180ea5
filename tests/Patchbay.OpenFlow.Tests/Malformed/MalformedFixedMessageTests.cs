// Messages of a fixed size or with a small fixed prefix (HELLO, ERROR, FEATURES, BARRIER), each broken
// by one length field.
namespace Patchbay.OpenFlow.Tests.Malformed;

public class MalformedFixedMessageTests
{
    [Fact]
    public void Decode_HelloElementLengthBelowHeader_ThrowsBadElementLength()
    {
        // ofp_hello_elem_header.length sits at offset 10 and must cover its own 4 bytes.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-10-ofp_hello.packet"), 10, 3);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_HelloElementLengthOverrunsMessage_ThrowsBadElementLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-10-ofp_hello.packet"), 10, 13);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ErrorShorterThanTypeAndCode_ThrowsTruncated()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-15-ofp_error_msg.packet")[..10]);

        Assert.Equal(ProtocolErrorReason.Truncated, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ExperimenterErrorWithoutExperimenterId_ThrowsTruncated()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-41-ofp_error_msg_experimenter.packet")[..14]);

        Assert.Equal(ProtocolErrorReason.Truncated, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(31)]
    public void Decode_FeaturesReplyCut_ThrowsBadLength(int size)
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-6-ofp_features_reply.packet")[..size]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FeaturesReplyWithTrailingBytes_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector("4-6-ofp_features_reply.packet"), 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-17-ofp_barrier_request.packet")]
    [InlineData("4-18-ofp_barrier_reply.packet")]
    [InlineData("4-5-ofp_features_request.packet")]
    public void Decode_HeaderOnlyMessageWithBody_ThrowsBadLength(string vector)
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(vector), 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }
}
