// The names os-ken (and ovs-ofctl) give the basic OXM fields, for golden-vector comparison and diagnostics.
using System.Collections.Frozen;

namespace Patchbay.OpenFlow.Match;

public static partial class OxmBasicFields
{
    private static readonly FrozenDictionary<OxmBasicField, string> Names = new Dictionary<OxmBasicField, string>
    {
        [OxmBasicField.InPort] = "in_port",
        [OxmBasicField.InPhyPort] = "in_phy_port",
        [OxmBasicField.Metadata] = "metadata",
        [OxmBasicField.EthDst] = "eth_dst",
        [OxmBasicField.EthSrc] = "eth_src",
        [OxmBasicField.EthType] = "eth_type",
        [OxmBasicField.VlanVid] = "vlan_vid",
        [OxmBasicField.VlanPcp] = "vlan_pcp",
        [OxmBasicField.IpDscp] = "ip_dscp",
        [OxmBasicField.IpEcn] = "ip_ecn",
        [OxmBasicField.IpProto] = "ip_proto",
        [OxmBasicField.Ipv4Src] = "ipv4_src",
        [OxmBasicField.Ipv4Dst] = "ipv4_dst",
        [OxmBasicField.TcpSrc] = "tcp_src",
        [OxmBasicField.TcpDst] = "tcp_dst",
        [OxmBasicField.UdpSrc] = "udp_src",
        [OxmBasicField.UdpDst] = "udp_dst",
        [OxmBasicField.SctpSrc] = "sctp_src",
        [OxmBasicField.SctpDst] = "sctp_dst",
        [OxmBasicField.Icmpv4Type] = "icmpv4_type",
        [OxmBasicField.Icmpv4Code] = "icmpv4_code",
        [OxmBasicField.ArpOp] = "arp_op",
        [OxmBasicField.ArpSpa] = "arp_spa",
        [OxmBasicField.ArpTpa] = "arp_tpa",
        [OxmBasicField.ArpSha] = "arp_sha",
        [OxmBasicField.ArpTha] = "arp_tha",
        [OxmBasicField.Ipv6Src] = "ipv6_src",
        [OxmBasicField.Ipv6Dst] = "ipv6_dst",
        [OxmBasicField.Ipv6Flabel] = "ipv6_flabel",
        [OxmBasicField.Icmpv6Type] = "icmpv6_type",
        [OxmBasicField.Icmpv6Code] = "icmpv6_code",
        [OxmBasicField.Ipv6NdTarget] = "ipv6_nd_target",
        [OxmBasicField.Ipv6NdSll] = "ipv6_nd_sll",
        [OxmBasicField.Ipv6NdTll] = "ipv6_nd_tll",
        [OxmBasicField.MplsLabel] = "mpls_label",
        [OxmBasicField.MplsTc] = "mpls_tc",
        [OxmBasicField.MplsBos] = "mpls_bos",
        [OxmBasicField.PbbIsid] = "pbb_isid",
        [OxmBasicField.TunnelId] = "tunnel_id",
        [OxmBasicField.Ipv6Exthdr] = "ipv6_exthdr",
        [OxmBasicField.PbbUca] = "pbb_uca",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, OxmBasicField> ByName =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The os-ken name of a basic field ("in_port", "eth_dst", ...), or "field_N" for a number it does not know.</summary>
    public static string Name(OxmBasicField field) =>
        Names.TryGetValue(field, out string? name) ? name : $"field_{(byte)field}";

    /// <summary>The basic field os-ken calls <paramref name="name"/>.</summary>
    public static bool TryParseName(string name, out OxmBasicField field) => ByName.TryGetValue(name, out field);

    /// <summary>Whether the spec (table 12 of 7.2.3.7) lets a match carry a mask for this field.</summary>
    public static bool IsMaskable(OxmBasicField field) => field switch
    {
        OxmBasicField.Metadata or OxmBasicField.EthDst or OxmBasicField.EthSrc or OxmBasicField.VlanVid => true,
        OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst or OxmBasicField.ArpSpa or OxmBasicField.ArpTpa => true,
        OxmBasicField.ArpSha or OxmBasicField.ArpTha or OxmBasicField.Ipv6Src or OxmBasicField.Ipv6Dst => true,
        OxmBasicField.Ipv6Flabel or OxmBasicField.PbbIsid or OxmBasicField.TunnelId or OxmBasicField.Ipv6Exthdr => true,
        _ => false,
    };
}
