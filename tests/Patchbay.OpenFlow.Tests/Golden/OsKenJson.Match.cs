// os-ken projections of ofp_match and OXM TLVs: basic fields by their os-ken names, values as os-ken
// prints them (MACs "aa:bb:..", IP addresses as text, everything else as an unsigned integer).
using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Match;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    public static JsonObject Match(OfpMatch match) => Wrap("OFPMatch", new()
    {
        ["type"] = OfpMatch.OxmMatchType,
        ["length"] = match.Length,
        ["oxm_fields"] = Array(match.Fields, Oxm),
    });

    public static JsonObject Oxm(OxmField field)
    {
        if (!field.IsBasic || OxmBasicFields.ValueSize(field.BasicField) == 0)
        {
            // Nicira / ONF experimenter fields: os-ken names and decodes them, Patchbay keeps the TLV opaque.
            return Partial("OXMTlv", []);
        }

        return Wrap("OXMTlv", new()
        {
            ["field"] = OxmBasicFields.Name(field.BasicField),
            ["value"] = OxmValue(field.BasicField, field.Value.Span),
            ["mask"] = field.HasMask ? OxmValue(field.BasicField, field.Mask.Span) : null,
        });
    }

    private static JsonValue OxmValue(OxmBasicField field, ReadOnlySpan<byte> bytes) => field switch
    {
        OxmBasicField.EthDst or OxmBasicField.EthSrc or OxmBasicField.ArpSha or OxmBasicField.ArpTha
            or OxmBasicField.Ipv6NdSll or OxmBasicField.Ipv6NdTll => JsonValue.Create(Mac(bytes)),
        OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa
            or OxmBasicField.Ipv6Src or OxmBasicField.Ipv6Dst or OxmBasicField.Ipv6NdTarget => JsonValue.Create(new IPAddress(bytes).ToString()),
        _ => JsonValue.Create(Unsigned(bytes)),
    };

    private static string Mac(ReadOnlySpan<byte> bytes) =>
        string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static ulong Unsigned(ReadOnlySpan<byte> bytes)
    {
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        bytes.CopyTo(wide[(8 - bytes.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(wide);
    }
}
