// Typed reads of an OXM field's value and mask (big-endian on the wire), the inverse of the Oxm factories.
using System.Net;
using System.Net.NetworkInformation;

namespace Patchbay.OpenFlow.Match;

public sealed partial record OxmField
{
    /// <summary>The value as a big-endian unsigned integer; any field of up to 8 bytes (a 3-byte pbb_isid, a 6-byte MAC).</summary>
    public ulong ValueAsUInt64() => Unsigned(Value.Span, 8, "value");

    public uint ValueAsUInt32() => (uint)Unsigned(Value.Span, 4, "value");

    public ushort ValueAsUInt16() => (ushort)Unsigned(Value.Span, 2, "value");

    public byte ValueAsByte() => (byte)Unsigned(Value.Span, 1, "value");

    /// <summary>The value of a 4-byte (IPv4) or 16-byte (IPv6) address field.</summary>
    public IPAddress ValueAsIPAddress() => Address(Value.Span, "value");

    /// <summary>The value of a 6-byte MAC address field.</summary>
    public PhysicalAddress ValueAsPhysicalAddress() => Mac(Value.Span, "value");

    public ulong MaskAsUInt64() => Unsigned(MaskSpan(), 8, "mask");

    public uint MaskAsUInt32() => (uint)Unsigned(MaskSpan(), 4, "mask");

    public ushort MaskAsUInt16() => (ushort)Unsigned(MaskSpan(), 2, "mask");

    public byte MaskAsByte() => (byte)Unsigned(MaskSpan(), 1, "mask");

    public IPAddress MaskAsIPAddress() => Address(MaskSpan(), "mask");

    public PhysicalAddress MaskAsPhysicalAddress() => Mac(MaskSpan(), "mask");

    private ReadOnlySpan<byte> MaskSpan()
    {
        if (!HasMask)
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} has no mask");
        }

        return Mask.Span;
    }

    private ulong Unsigned(ReadOnlySpan<byte> bytes, int maxSize, string part)
    {
        if (bytes.Length == 0 || bytes.Length > maxSize)
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} {part} is {bytes.Length} bytes; this read takes 1 to {maxSize}");
        }

        ulong result = 0;
        foreach (byte b in bytes)
        {
            result = (result << 8) | b;
        }

        return result;
    }

    private IPAddress Address(ReadOnlySpan<byte> bytes, string part)
    {
        if (bytes.Length is not (4 or 16))
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} {part} is {bytes.Length} bytes, not an IPv4 or IPv6 address");
        }

        return new IPAddress(bytes);
    }

    private PhysicalAddress Mac(ReadOnlySpan<byte> bytes, string part)
    {
        if (bytes.Length != 6)
        {
            throw new InvalidOperationException($"OXM {Class}/{Field} {part} is {bytes.Length} bytes, not a MAC address");
        }

        return new PhysicalAddress(bytes.ToArray());
    }
}
