// Projects Patchbay's decoded messages into the JSON shape os-ken prints ({"OFPFlowMod": {...}}, field
// names as in os_ken/ofproto/ofproto_v1_3_parser.py), so a golden vector's decoding can be compared
// field by field. Parts Patchbay deliberately keeps opaque project to Opaque() and are checked by the
// byte-exact round trip instead:
//   - Nicira / ONF experimenter actions (ct, learn, conjunction, note, resubmit, ...): os-ken decodes
//     their bodies, Patchbay keeps experimenter id + body bytes;
//   - OXMs outside OFPXMC_OPENFLOW_BASIC (Nicira registers, ct_state, pkt_mark, tun_ipv4_*, conj_id,
//     ONF pbb_uca);
//   - table-features properties, experimenter multipart bodies (ONF flow monitor) and the decoded
//     Ethernet frame os-ken shows for some packet-ins.
using System.Text.Json.Nodes;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    private const string OpaqueMarker = "\u0000patchbay-opaque";

    /// <summary>A node that matches whatever os-ken printed at its place.</summary>
    public static JsonNode Opaque() => JsonValue.Create(OpaqueMarker);

    public static bool IsOpaque(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) && text == OpaqueMarker;

    private const string PartialSuffix = "*";

    /// <summary>
    /// {"Prefix*": fields}: os-ken's class name must start with <paramref name="classPrefix"/>, and only
    /// <paramref name="knownFields"/> are compared; os-ken's other fields are ones Patchbay keeps opaque.
    /// </summary>
    public static JsonObject Partial(string classPrefix, JsonObject knownFields) => new() { [classPrefix + PartialSuffix] = knownFields };

    public static bool IsPartial(JsonObject node, out string classPrefix, out JsonObject knownFields)
    {
        classPrefix = string.Empty;
        knownFields = [];
        if (node.Count != 1)
        {
            return false;
        }

        (string key, JsonNode? value) = node.First();
        if (!key.EndsWith(PartialSuffix, StringComparison.Ordinal) || value is not JsonObject fields)
        {
            return false;
        }

        classPrefix = key[..^PartialSuffix.Length];
        knownFields = fields;
        return true;
    }

    /// <summary>{"ClassName": body}, os-ken's wrapping of every object.</summary>
    private static JsonObject Wrap(string osKenClass, JsonObject body) => new() { [osKenClass] = body };

    private static JsonValue Base64(ReadOnlyMemory<byte> bytes) => JsonValue.Create(Convert.ToBase64String(bytes.Span));

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> project) => [.. items.Select(project)];
}
