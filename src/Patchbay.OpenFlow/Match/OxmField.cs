// One OXM TLV (spec 1.3.5, 7.2.3.2): header u32 = class u16 | field u7 | hasmask u1 | length u8, then payload.
// For OFPXMC_OPENFLOW_BASIC the payload is value (and, with hasmask, a mask of the same size).
// Any other class (Nicira NXM, experimenter 0xffff with its experimenter id) is kept opaque in Value,
// so its bytes round-trip exactly.
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Match;

/// <summary>enum ofp_oxm_class.</summary>
public enum OxmClass : ushort
{
    Nxm0 = 0x0000,
    Nxm1 = 0x0001,
    OpenFlowBasic = 0x8000,
    Experimenter = 0xffff,
}

public sealed partial record OxmField(OxmClass Class, byte Field, bool HasMask, ReadOnlyMemory<byte> Value, ReadOnlyMemory<byte> Mask)
{
    public const int HeaderSize = 4;

    public OxmField(OxmBasicField field, ReadOnlyMemory<byte> value)
        : this(OxmClass.OpenFlowBasic, (byte)field, false, value, ReadOnlyMemory<byte>.Empty)
    {
    }

    public OxmField(OxmBasicField field, ReadOnlyMemory<byte> value, ReadOnlyMemory<byte> mask)
        : this(OxmClass.OpenFlowBasic, (byte)field, true, value, mask)
    {
    }

    public bool IsBasic => Class == OxmClass.OpenFlowBasic;

    public OxmBasicField BasicField => (OxmBasicField)Field;

    /// <summary>oxm_length: payload bytes after the 4-byte header.</summary>
    public int PayloadLength => Value.Length + Mask.Length;

    public int Length => HeaderSize + PayloadLength;

    // Records compare ReadOnlyMemory by reference; a decoded field must equal the one that was sent,
    // so that installed and desired matches compare by value.
    public bool Equals(OxmField? other) =>
        other is not null
        && Class == other.Class
        && Field == other.Field
        && HasMask == other.HasMask
        && Value.Span.SequenceEqual(other.Value.Span)
        && Mask.Span.SequenceEqual(other.Mask.Span);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Class);
        hash.Add(Field);
        hash.Add(HasMask);
        hash.AddBytes(Value.Span);
        hash.AddBytes(Mask.Span);
        return hash.ToHashCode();
    }

    // Shows the bytes, not "ReadOnlyMemory<Byte>[4]", so a failing comparison says what differs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(IsBasic ? OxmBasicFields.Name(BasicField) : $"{Class}/{Field}");
        builder.Append(" = ").Append(Convert.ToHexStringLower(Value.Span));
        if (HasMask)
        {
            builder.Append('/').Append(Convert.ToHexStringLower(Mask.Span));
        }

        return true;
    }

    public void Write(ref WireWriter writer)
    {
        ReadOnlySpan<byte> value = Value.Span;
        ReadOnlySpan<byte> mask = Mask.Span;
        int payloadLength = value.Length + mask.Length;
        int size = IsBasic ? OxmBasicFields.ValueSize(BasicField) : 0;
        // A field built by hand could otherwise put bytes on the wire that its own header misdescribes.
        // The checks stay inline and the messages in a cold method: this runs for every field of every flow sent.
        if (Field > 0x7f
            || payloadLength > byte.MaxValue
            || (!HasMask && !mask.IsEmpty)
            || (size != 0 && (value.Length != size || (HasMask && mask.Length != size))))
        {
            ThrowUnencodable(size);
        }

        writer.U32(((uint)Class << 16) | ((uint)Field << 9) | (HasMask ? 1u << 8 : 0) | (uint)payloadLength);
        writer.Bytes(value);
        writer.Bytes(mask);
    }

    [DoesNotReturn]
    private void ThrowUnencodable(int size)
    {
        if (Field > 0x7f || PayloadLength > byte.MaxValue)
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} with a {PayloadLength}-byte payload does not fit the 7-bit field and 8-bit length");
        }

        if (!HasMask && !Mask.IsEmpty)
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} carries mask bytes but HasMask is false");
        }

        throw new InvalidOperationException($"OXM {OxmBasicFields.Name(BasicField)} needs a {size}-byte value (and mask), got {Value.Length} and {Mask.Length}");
    }

    public static OxmField Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadOxmLength, $"OXM header needs 4 bytes, {reader.Remaining} left in match");
        }

        var cls = (OxmClass)reader.U16();
        byte fieldAndMask = reader.U8();
        byte length = reader.U8();
        if (length > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadOxmLength, $"OXM length {length} with {reader.Remaining} bytes left in match");
        }

        byte field = (byte)(fieldAndMask >> 1);
        bool hasMask = (fieldAndMask & 1) != 0;
        int size = cls == OxmClass.OpenFlowBasic ? OxmBasicFields.ValueSize((OxmBasicField)field) : 0;
        if (size == 0)
        {
            // Another class, or a basic field newer than 1.3: kept opaque so it round-trips.
            return new OxmField(cls, field, hasMask, reader.BytesArray(length), ReadOnlyMemory<byte>.Empty);
        }

        int expected = hasMask ? size * 2 : size;
        if (length != expected)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadOxmLength, $"OXM basic field {field} has length {length}, expected {expected}");
        }

        byte[] value = reader.BytesArray(size);
        byte[] mask = hasMask ? reader.BytesArray(size) : [];
        return new OxmField(cls, field, hasMask, value, mask);
    }
}
