// An IPv4 prefix (10.1.0.0/24): membership, and the addresses a network reserves (network, gateway, broadcast).
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Patchbay.Packets;

namespace Patchbay.Core.Model;

public readonly record struct Ipv4Subnet
{
    public Ipv4Subnet(Ipv4Address network, int prefixLength)
    {
        if (prefixLength is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "an IPv4 prefix length is 0..32");
        }

        if ((network.Value & ~MaskOf(prefixLength)) != 0)
        {
            throw new ArgumentException($"{network}/{prefixLength} has host bits set; did you mean {new Ipv4Address(network.Value & MaskOf(prefixLength))}/{prefixLength}?", nameof(network));
        }

        Network = network;
        PrefixLength = prefixLength;
    }

    public Ipv4Address Network { get; }

    public int PrefixLength { get; }

    public uint Mask => MaskOf(PrefixLength);

    public Ipv4Address Broadcast => new(Network.Value | ~Mask);

    /// <summary>The conventional gateway: the first host address.</summary>
    public Ipv4Address FirstHost => new(Network.Value + 1);

    public ulong Size => 1UL << (32 - PrefixLength);

    public bool Contains(Ipv4Address address) => (address.Value & Mask) == Network.Value;

    public bool Overlaps(Ipv4Subnet other)
    {
        uint mask = MaskOf(Math.Min(PrefixLength, other.PrefixLength));
        return (Network.Value & mask) == (other.Network.Value & mask);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network}/{PrefixLength}");

    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out Ipv4Subnet subnet, out string? error) ? subnet : throw new FormatException(error);

    public static bool TryParse(string? text, out Ipv4Subnet subnet, [NotNullWhen(false)] out string? error)
    {
        subnet = default;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0
            || !Ipv4Address.TryParse(text.AsSpan(0, slash), CultureInfo.InvariantCulture, out Ipv4Address network)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)
            || prefix > 32)
        {
            error = $"'{text}' is not an IPv4 subnet (expected a.b.c.d/N, e.g. 10.1.0.0/24)";
            return false;
        }

        if ((network.Value & ~MaskOf(prefix)) != 0)
        {
            error = $"'{text}' has host bits set; did you mean {new Ipv4Address(network.Value & MaskOf(prefix))}/{prefix}?";
            return false;
        }

        subnet = new Ipv4Subnet(network, prefix);
        error = null;
        return true;
    }

    private static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
}
