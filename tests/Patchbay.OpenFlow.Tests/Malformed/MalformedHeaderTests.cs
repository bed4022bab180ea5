// ofp_header rules: version 0x04 except in HELLO, 8 <= length <= limit, length equal to the frame,
// a known message type.
using System.Buffers;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Tests.Malformed;

public class MalformedHeaderTests
{
    private const string Echo = "4-13-ofp_echo_request.packet";

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x05)]
    public void Decode_NonHelloWithOtherVersion_ThrowsBadVersion(byte version)
    {
        byte[] frame = Corruption.WithU8(Corruption.Vector(Echo), 0, version);

        Assert.Equal(ProtocolErrorReason.BadVersion, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x05)]
    public void Decode_HelloWithOtherVersion_KeepsOfferedVersion(byte version)
    {
        byte[] frame = Corruption.WithU8(Corruption.Vector("4-10-ofp_hello.packet"), 0, version);

        var hello = Assert.IsType<Hello>(OfpMessageReader.Decode(frame));

        Assert.Equal(version, hello.HeaderVersion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TryRead_HeaderLengthBelowEight_ThrowsBadLength(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Echo), 2, length);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.TryReadReason(new ReadOnlySequence<byte>(frame)));
        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_HeaderLengthBeyondFrame_ThrowsBadLength()
    {
        byte[] frame = Corruption.Vector(Echo);
        byte[] longer = Corruption.WithU16(frame, 2, (ushort)(frame.Length + 1));

        var error = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(longer));

        Assert.Equal(ProtocolErrorReason.BadLength, error.Reason);
    }

    [Fact]
    public void Decode_HeaderLengthShortOfFrame_ThrowsBadLength()
    {
        byte[] frame = Corruption.Vector(Echo);
        byte[] shorter = Corruption.WithU16(frame, 2, (ushort)(frame.Length - 1));

        var error = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(shorter));

        Assert.Equal(ProtocolErrorReason.BadLength, error.Reason);
    }

    [Fact]
    public void Decode_FrameShorterThanHeader_ThrowsBadLength()
    {
        byte[] frame = Corruption.Vector(Echo)[..7];

        var error = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(frame));

        Assert.Equal(ProtocolErrorReason.BadLength, error.Reason);
    }

    [Fact]
    public void TryRead_LengthAboveLimit_ThrowsBadLengthBeforeFrameArrives()
    {
        byte[] frame = Corruption.Vector("4-0-ofp_desc_reply.packet");

        // Only the header is present: a limit breach must not wait for the rest of an oversized frame.
        ProtocolErrorReason reason = Corruption.TryReadReason(new ReadOnlySequence<byte>(frame[..8]), maxLength: frame.Length - 1);

        Assert.Equal(ProtocolErrorReason.BadLength, reason);
    }

    [Fact]
    public void TryRead_LengthAtLimit_ReadsMessage()
    {
        byte[] frame = Corruption.Vector(Echo);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));

        Assert.True(OfpMessageReader.TryRead(ref reader, out OfpMessage? message, maxLength: frame.Length));
        Assert.IsType<EchoRequest>(message);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(0xff)]
    public void Decode_UnknownMessageType_ThrowsUnknownType(byte type)
    {
        byte[] frame = Corruption.WithU8(Corruption.Vector(Echo), 1, type);

        Assert.Equal(ProtocolErrorReason.UnknownType, Corruption.RejectReason(frame));
    }
}
