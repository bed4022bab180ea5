// Checks the multipart tests share: a message survives encode → decode (one segment, byte per segment,
// every prefix) unchanged and byte for byte; an entry writes exactly the bytes it declares.
using Patchbay.OpenFlow.Multipart;
using Patchbay.OpenFlow.Tests.Golden;
using Patchbay.OpenFlow.Wire;
using Patchbay.Testing.Bytes;
using Patchbay.Testing.Sequences;

namespace Patchbay.OpenFlow.Tests.Multipart;

internal static class MultipartKit
{
    public static T RoundTrip<T>(T message)
        where T : OfpMessage
    {
        byte[] bytes = message.ToBytes();
        Assert.Equal(message.Length, bytes.Length);
        T decoded = Assert.IsAssignableFrom<T>(OfpFrameDecoding.ReadOneEveryWay(bytes));
        Assert.Equal(message.GetType(), decoded.GetType());
        Assert.Equal(message, decoded);
        ByteAssert.Identical(bytes, decoded.ToBytes(), typeof(T).Name);
        return decoded;
    }

    /// <summary>Decodes the one message in golden vector <paramref name="name"/> and demands its exact bytes back.</summary>
    public static T Vector<T>(string name)
        where T : OfpMessage
    {
        byte[] bytes = GoldenVectors.Read(name);
        T decoded = Assert.IsAssignableFrom<T>(OfpFrameDecoding.ReadOneEveryWay(bytes));
        ByteAssert.Identical(bytes, decoded.ToBytes(), name);
        return decoded;
    }

    /// <summary>Bytes an entry's encoder writes, into a buffer larger than it declares.</summary>
    public static byte[] Written<T>(T entry)
        where T : IMultipartEntry<T>
    {
        byte[] buffer = new byte[entry.Length + 64];
        var writer = new WireWriter(buffer);
        entry.Write(ref writer);
        return buffer[..writer.Position];
    }

    /// <summary>The multipart body of an encoded message: what follows the 16-byte multipart header.</summary>
    public static byte[] Payload(OfpMessage message) => message.ToBytes()[MultipartRequest.HeaderSize..];
}
