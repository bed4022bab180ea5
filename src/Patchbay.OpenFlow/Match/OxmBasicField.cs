// enum oxm_ofb_match_fields (spec 1.3.5, 7.2.3.7) and each field's value size in bytes.
// PBB_UCA (41) is from 1.4; OVS and os-ken accept it in 1.3 and the golden vectors carry it.
namespace Patchbay.OpenFlow.Match;

public enum OxmBasicField : byte
{
    InPort = 0,
    InPhyPort = 1,
    Metadata = 2,
    EthDst = 3,
    EthSrc = 4,
    EthType = 5,
    VlanVid = 6,
    VlanPcp = 7,
    IpDscp = 8,
    IpEcn = 9,
    IpProto = 10,
    Ipv4Src = 11,
    Ipv4Dst = 12,
    TcpSrc = 13,
    TcpDst = 14,
    UdpSrc = 15,
    UdpDst = 16,
    SctpSrc = 17,
    SctpDst = 18,
    Icmpv4Type = 19,
    Icmpv4Code = 20,
    ArpOp = 21,
    ArpSpa = 22,
    ArpTpa = 23,
    ArpSha = 24,
    ArpTha = 25,
    Ipv6Src = 26,
    Ipv6Dst = 27,
    Ipv6Flabel = 28,
    Icmpv6Type = 29,
    Icmpv6Code = 30,
    Ipv6NdTarget = 31,
    Ipv6NdSll = 32,
    Ipv6NdTll = 33,
    MplsLabel = 34,
    MplsTc = 35,
    MplsBos = 36,
    PbbIsid = 37,
    TunnelId = 38,
    Ipv6Exthdr = 39,
    PbbUca = 41,
}

public static partial class OxmBasicFields
{
    // ValueSize runs for every field encoded and decoded: a table indexed by the field's byte, filled from SizeOf.
    private static readonly byte[] Sizes = BuildSizes();

    /// <summary>Value size in bytes of a 1.3 basic field, or 0 for a field 1.3 does not define.</summary>
    public static int ValueSize(OxmBasicField field) => Sizes[(byte)field];

    private static byte[] BuildSizes()
    {
        var sizes = new byte[byte.MaxValue + 1];
        for (int field = 0; field < sizes.Length; field++)
        {
            sizes[field] = (byte)SizeOf((OxmBasicField)field);
        }

        return sizes;
    }

    private static int SizeOf(OxmBasicField field) => field switch
    {
        OxmBasicField.InPort or OxmBasicField.InPhyPort => 4,
        OxmBasicField.Metadata or OxmBasicField.TunnelId => 8,
        OxmBasicField.EthDst or OxmBasicField.EthSrc => 6,
        OxmBasicField.EthType or OxmBasicField.VlanVid => 2,
        OxmBasicField.VlanPcp or OxmBasicField.IpDscp or OxmBasicField.IpEcn or OxmBasicField.IpProto => 1,
        OxmBasicField.Ipv4Src or OxmBasicField.Ipv4Dst => 4,
        OxmBasicField.TcpSrc or OxmBasicField.TcpDst or OxmBasicField.UdpSrc or OxmBasicField.UdpDst => 2,
        OxmBasicField.SctpSrc or OxmBasicField.SctpDst => 2,
        OxmBasicField.Icmpv4Type or OxmBasicField.Icmpv4Code => 1,
        OxmBasicField.ArpOp => 2,
        OxmBasicField.ArpSpa or OxmBasicField.ArpTpa => 4,
        OxmBasicField.ArpSha or OxmBasicField.ArpTha => 6,
        OxmBasicField.Ipv6Src or OxmBasicField.Ipv6Dst or OxmBasicField.Ipv6NdTarget => 16,
        OxmBasicField.Ipv6Flabel => 4,
        OxmBasicField.Icmpv6Type or OxmBasicField.Icmpv6Code => 1,
        OxmBasicField.Ipv6NdSll or OxmBasicField.Ipv6NdTll => 6,
        OxmBasicField.MplsLabel => 4,
        OxmBasicField.MplsTc or OxmBasicField.MplsBos or OxmBasicField.PbbUca => 1,
        OxmBasicField.PbbIsid => 3,
        OxmBasicField.Ipv6Exthdr => 2,
        _ => 0,
    };
}
