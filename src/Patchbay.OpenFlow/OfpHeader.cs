// struct ofp_header (spec 1.3.5, 7.1): version u8, type u8, length u16, xid u32 = 8 bytes.
using System.Buffers.Binary;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow;

public readonly record struct OfpHeader(byte Version, OfpType Type, ushort Length, uint Xid)
{
    public const int Size = OfpConstants.HeaderSize;

    public static OfpHeader Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0],
        (OfpType)bytes[1],
        BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]));

    public static void Write(ref WireWriter writer, byte version, OfpType type, ushort length, uint xid)
    {
        writer.U8(version);
        writer.U8((byte)type);
        writer.U16(length);
        writer.U32(xid);
    }
}
