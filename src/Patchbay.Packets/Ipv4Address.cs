// An IPv4 address as a 32-bit value, for the per-packet path where System.Net.IPAddress would allocate.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Patchbay.Packets;

public readonly record struct Ipv4Address(uint Value) : ISpanParsable<Ipv4Address>, IComparable<Ipv4Address>
{
    public const int Size = 4;

    public static Ipv4Address Any { get; } = new(0);

    public static Ipv4Address Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    public static Ipv4Address FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[Size];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    public IPAddress ToIPAddress() => new(ToBytes());

    public int CompareTo(Ipv4Address other) => Value.CompareTo(other.Value);

    public static bool operator <(Ipv4Address left, Ipv4Address right) => left.Value < right.Value;

    public static bool operator >(Ipv4Address left, Ipv4Address right) => left.Value > right.Value;

    public static bool operator <=(Ipv4Address left, Ipv4Address right) => left.Value <= right.Value;

    public static bool operator >=(Ipv4Address left, Ipv4Address right) => left.Value >= right.Value;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}");

    public static Ipv4Address Parse(string s) => Parse(s.AsSpan(), CultureInfo.InvariantCulture);

    public static Ipv4Address Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static Ipv4Address Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out Ipv4Address address) ? address : throw new FormatException($"'{s}' is not an IPv4 address (expected a.b.c.d)");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Ipv4Address result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Ipv4Address result)
    {
        result = default;
        uint value = 0;
        int parts = 0;
        foreach (Range range in s.Split('.'))
        {
            if (++parts > 4 || !byte.TryParse(s[range], NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
            {
                return false;
            }

            value = (value << 8) | b;
        }

        if (parts != 4)
        {
            return false;
        }

        result = new Ipv4Address(value);
        return true;
    }
}
