// Base of every OpenFlow 1.3 message: the ofp_header plus a body each message type writes itself.
// Encoding declares the length first, writes into exactly that many bytes, and proves it.
using System.Buffers;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow;

public abstract record OfpMessage
{
    public uint Xid { get; init; }

    public abstract OfpType Type { get; }

    /// <summary>ofp_header.version; 0x04 except for a HELLO from a peer offering another version.</summary>
    public virtual byte Version => OfpConstants.Version13;

    /// <summary>ofp_header.length: header plus body.</summary>
    public int Length => OfpConstants.HeaderSize + BodyLength;

    protected abstract int BodyLength { get; }

    /// <summary>Writes exactly <see cref="BodyLength"/> bytes after the header.</summary>
    protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>Encodes the message into <paramref name="destination"/> and returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int length = Length;
        if (length > OfpConstants.MaxMessageLength)
        {
            throw new InvalidOperationException($"{Type} would be {length} bytes, above the 65535 an ofp_header can declare");
        }

        var writer = new WireWriter(destination[..length]);
        OfpHeader.Write(ref writer, Version, Type, (ushort)length, Xid);
        WriteBody(ref writer);
        Declared.Check(length, writer.Position, Type);
        return length;
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        int length = Length;
        WriteTo(output.GetSpan(length));
        output.Advance(length);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }
}
