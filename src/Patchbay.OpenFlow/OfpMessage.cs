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
    public int WriteTo(Span<byte> destination) => WriteTo(destination, Length);

    /// <summary>Encodes the message into <paramref name="output"/> and returns its length.</summary>
    public int WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);

        // The length is computed once: for a flow-mod it walks the match and every instruction and action.
        return WriteTo(output, Length);
    }

    /// <summary>Encodes the message, whose <see cref="Length"/> the caller computed already, into <paramref name="output"/>.</summary>
    internal int WriteTo(IBufferWriter<byte> output, int length)
    {
        WriteTo(output.GetSpan(length), length);
        output.Advance(length);
        return length;
    }

    private int WriteTo(Span<byte> destination, int length)
    {
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

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }
}
