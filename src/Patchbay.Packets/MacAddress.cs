// A 48-bit Ethernet address as a value: parsed from and printed as aa:bb:cc:dd:ee:ff, copied without allocating.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Patchbay.Packets;

public readonly record struct MacAddress(ulong Value) : ISpanParsable<MacAddress>
{
    public const int Size = 6;

    public static MacAddress Broadcast { get; } = new(0xffff_ffff_ffff);

    public static MacAddress Zero { get; } = new(0);

    public bool IsBroadcast => Value == Broadcast.Value;

    /// <summary>Group bit: the least significant bit of the first octet.</summary>
    public bool IsMulticast => ((Value >> 40) & 1) != 0;

    /// <summary>Locally administered bit: the second least significant bit of the first octet.</summary>
    public bool IsLocallyAdministered => ((Value >> 40) & 2) != 0;

    public static MacAddress Read(ReadOnlySpan<byte> bytes) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    public override string ToString() => string.Create(17, Value, static (chars, value) =>
    {
        for (int i = 0; i < Size; i++)
        {
            byte b = (byte)(value >> (40 - (8 * i)));
            b.TryFormat(chars[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            if (i < Size - 1)
            {
                chars[(i * 3) + 2] = ':';
            }
        }
    });

    public static MacAddress Parse(string s) => Parse(s.AsSpan(), CultureInfo.InvariantCulture);

    public static MacAddress Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static MacAddress Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out MacAddress mac) ? mac : throw new FormatException($"'{s}' is not a MAC address (expected aa:bb:cc:dd:ee:ff)");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result)
    {
        result = default;
        if (s.Length != 17)
        {
            return false;
        }

        ulong value = 0;
        for (int i = 0; i < Size; i++)
        {
            if (i < Size - 1 && s[(i * 3) + 2] is not (':' or '-'))
            {
                return false;
            }

            if (!byte.TryParse(s.Slice(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        result = new MacAddress(value);
        return true;
    }
}
