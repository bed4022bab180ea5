// OFPT_HELLO (spec 1.3.5, 7.5.1): header, then ofp_hello_elem_header {type u16, length u16} elements,
// each padded to 8 bytes. OFPHET_VERSIONBITMAP (1) carries u32 bitmaps: bit N set = version N spoken.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record HelloElement(ushort ElementType, ReadOnlyMemory<byte> Data)
{
    public const ushort VersionBitmapType = 1;
    public const int HeaderSize = 4;

    /// <summary>Unpadded length (ofp_hello_elem_header.length).</summary>
    public int ElementLength => HeaderSize + Data.Length;

    public int PaddedLength => Declared.Align8(ElementLength);

    public static HelloElement VersionBitmap(params ReadOnlySpan<byte> versions)
    {
        int highest = 0;
        foreach (byte v in versions)
        {
            highest = Math.Max(highest, v);
        }

        var bitmaps = new byte[((highest / 32) + 1) * 4];
        foreach (byte v in versions)
        {
            int word = v / 32;
            int offset = (word * 4) + 3 - ((v % 32) / 8);
            bitmaps[offset] |= (byte)(1 << (v % 8));
        }

        return new HelloElement(VersionBitmapType, bitmaps);
    }
}

public sealed record Hello(IReadOnlyList<HelloElement> Elements) : OfpMessage
{
    public Hello()
        : this([])
    {
    }

    public override OfpType Type => OfpType.Hello;

    /// <summary>ofp_header.version as sent; a peer may offer any version in HELLO.</summary>
    public byte HeaderVersion { get; init; } = OfpConstants.Version13;

    public override byte Version => HeaderVersion;

    /// <summary>The HELLO Patchbay sends: version 1.3 only, announced in the header and a version bitmap.</summary>
    public static Hello Ours(uint xid) => new([HelloElement.VersionBitmap(OfpConstants.Version13)]) { Xid = xid };

    /// <summary>
    /// Whether the peer can speak <paramref name="version"/>: by its version bitmap when present,
    /// else by the header version being at least that (spec 1.3.5, 6.3.1).
    /// </summary>
    public bool Offers(byte version)
    {
        foreach (HelloElement element in Elements)
        {
            if (element.ElementType == HelloElement.VersionBitmapType)
            {
                ReadOnlySpan<byte> bitmaps = element.Data.Span;
                int word = version / 32;
                if ((word * 4) + 4 > bitmaps.Length)
                {
                    return false;
                }

                return (bitmaps[(word * 4) + 3 - ((version % 32) / 8)] & (1 << (version % 8))) != 0;
            }
        }

        return HeaderVersion >= version;
    }

    protected override int BodyLength
    {
        get
        {
            int length = 0;
            foreach (HelloElement e in Elements)
            {
                length += e.PaddedLength;
            }

            return length;
        }
    }

    protected override void WriteBody(ref WireWriter writer)
    {
        foreach (HelloElement e in Elements)
        {
            writer.U16(e.ElementType);
            writer.U16((ushort)e.ElementLength);
            writer.Bytes(e.Data.Span);
            writer.Pad(e.PaddedLength - e.ElementLength);
        }
    }

    internal static Hello ReadBody(OfpHeader header, ref WireReader body)
    {
        var elements = new List<HelloElement>();
        while (!body.End)
        {
            // A peer of another version may send a body we do not understand; the header version still negotiates.
            if (header.Version != OfpConstants.Version13 && body.Remaining < HelloElement.HeaderSize)
            {
                break;
            }

            ushort type = body.U16();
            ushort length = body.U16();
            if (length < HelloElement.HeaderSize || length - HelloElement.HeaderSize > body.Remaining)
            {
                OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"hello element length {length} with {body.Remaining} bytes left");
            }

            byte[] data = body.BytesArray(length - HelloElement.HeaderSize);
            int padding = Math.Min(Declared.Align8(length) - length, body.Remaining);
            body.Pad(padding);
            elements.Add(new HelloElement(type, data));
        }

        return new Hello(elements) { Xid = header.Xid, HeaderVersion = header.Version };
    }
}
