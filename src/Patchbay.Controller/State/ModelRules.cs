// The rules a change must pass before it reaches the store, each refusal naming the field and what to do
// (docs/model.md): legal names and labels, a network's subnet and gateway, requested and allocated addresses.
using System.Collections.ObjectModel;
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.State;

internal static class ModelRules
{
    /// <summary>Longest name: a DNS name's length, so that a name can become a host name later.</summary>
    public const int MaxNameLength = 253;

    public const int MaxLabels = 64;

    public const int MaxLabelLength = 253;

    /// <summary>The smallest subnet with room for a network, a gateway, a broadcast and one endpoint.</summary>
    public const int MaxPrefixLength = 30;

    /// <summary>Names go into store keys and CLI arguments: letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static void RequireName(string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ControllerStateException.Invalid("Missing name", $"a {what} name is required");
        }

        if (name.Length > MaxNameLength || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(IsNameChar))
        {
            throw ControllerStateException.Invalid(
                "Invalid name",
                $"{what} name '{name}' is not valid: use 1-{MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public static void RequireLabels(IReadOnlyDictionary<string, string> labels, string owner)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count > MaxLabels)
        {
            throw ControllerStateException.Invalid("Too many labels", $"labels of {owner}: {labels.Count} labels, at most {MaxLabels} are allowed");
        }

        foreach ((string key, string value) in labels)
        {
            if (key.Length is 0 or > MaxLabelLength || !char.IsAsciiLetterOrDigit(key[0]) || !key.All(c => IsNameChar(c) || c == '/'))
            {
                throw ControllerStateException.Invalid(
                    "Invalid label",
                    $"labels of {owner}: key '{key}' is not valid: use 1-{MaxLabelLength} letters, digits, '.', '_', '-' or '/', starting with a letter or digit");
            }

            if (value is null || value.Length > MaxLabelLength || value.Any(char.IsControl))
            {
                throw ControllerStateException.Invalid(
                    "Invalid label",
                    $"labels of {owner}: the value of '{key}' is not valid: use at most {MaxLabelLength} printable characters");
            }
        }
    }

    /// <summary>A copy the caller cannot change afterwards.</summary>
    public static IReadOnlyDictionary<string, string> Freeze(IReadOnlyDictionary<string, string>? labels) =>
        labels is null || labels.Count == 0
            ? ReadOnlyDictionary<string, string>.Empty
            : new ReadOnlyDictionary<string, string>(labels.ToDictionary(StringComparer.Ordinal));

    public static void RequireUsableSubnet(Ipv4Subnet subnet, Ipv4Address gateway)
    {
        if (subnet.PrefixLength > MaxPrefixLength)
        {
            throw ControllerStateException.Invalid("Subnet too small", $"subnet {subnet} has no room for a network, a gateway, a broadcast and an endpoint; use /{MaxPrefixLength} or larger");
        }

        if (!subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
        {
            throw ControllerStateException.Invalid(
                "Invalid gateway",
                $"gateway {gateway} is not a host address of {subnet}: pick an address inside the subnet other than {subnet.Network} and {subnet.Broadcast}, or leave gateway out for {subnet.FirstHost}");
        }
    }

    /// <summary>Refuses a requested address outside the subnet or reserved (network, gateway, broadcast).</summary>
    public static void RequireAssignable(Network network, Ipv4Address ip)
    {
        if (!network.Subnet.Contains(ip))
        {
            throw ControllerStateException.Invalid("Address outside subnet", $"ip {ip} is not in {network.Name}'s subnet {network.Subnet}; pick an address inside it or leave ip out");
        }

        if (ip == network.Subnet.Network || ip == network.Subnet.Broadcast || ip == network.Gateway)
        {
            string role = ip == network.Gateway ? "gateway" : ip == network.Subnet.Network ? "network" : "broadcast";
            throw ControllerStateException.Invalid("Reserved address", $"ip {ip} is the {role} address of {network.Name} ({network.Subnet}); pick another address or leave ip out");
        }
    }

    /// <summary>Addresses an endpoint may hold: the subnet minus network, gateway and broadcast.</summary>
    public static ulong Assignable(Network network) => network.Subnet.Size - 3;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
