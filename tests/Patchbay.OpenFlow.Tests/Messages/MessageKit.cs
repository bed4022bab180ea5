// Shared checks for the message tests: encode then decode every way (one segment, byte per segment,
// every prefix) and demand the same message and the same bytes back; decode a golden vector and demand
// its exact bytes on re-encoding.
using Patchbay.OpenFlow.Tests.Golden;
using Patchbay.OpenFlow.Wire;
using Patchbay.Testing.Bytes;
using Patchbay.Testing.Sequences;

namespace Patchbay.OpenFlow.Tests.Messages;

internal static class MessageKit
{
    public static T RoundTrip<T>(T message)
        where T : OfpMessage
    {
        byte[] bytes = message.ToBytes();
        Assert.Equal(message.Length, bytes.Length);
        T decoded = Assert.IsType<T>(OfpFrameDecoding.ReadOneEveryWay(bytes));
        Assert.Equal(message, decoded);
        ByteAssert.Identical(bytes, decoded.ToBytes(), typeof(T).Name);
        return decoded;
    }

    public static T Vector<T>(string name)
        where T : OfpMessage
    {
        byte[] bytes = GoldenVectors.Read(name);
        T decoded = Assert.IsType<T>(OfpFrameDecoding.ReadOneEveryWay(bytes));
        ByteAssert.Identical(bytes, decoded.ToBytes(), name);
        return decoded;
    }

    public static byte[] VectorBytes(string name) => GoldenVectors.Read(name);

    /// <summary>Runs a structure's writer over a buffer of <paramref name="capacity"/> bytes and returns what it wrote.</summary>
    public static byte[] Written(int capacity, WriteAction write)
    {
        byte[] buffer = new byte[capacity];
        var writer = new WireWriter(buffer);
        write(ref writer);
        return buffer[..writer.Position];
    }

    public static ProtocolErrorReason ReadReason(byte[] bytes, ReadAction read)
    {
        var exception = Assert.Throws<OpenFlowProtocolException>(() =>
        {
            var reader = new WireReader(bytes);
            read(ref reader);
        });
        return exception.Reason;
    }

    public delegate void WriteAction(ref WireWriter writer);

    public delegate void ReadAction(ref WireReader reader);
}
