// Every basic OXM factory against the spec's wire layout (7.2.3.7-8): header, value and (where allowed)
// mask, decoded back to an equal field and read back through the typed accessors.
using System.Net;
using System.Net.NetworkInformation;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Match;

public class OxmTests
{
    private static readonly byte[] MacA = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
    private static readonly byte[] MacMask = [0xff, 0xff, 0xff, 0x00, 0x00, 0x00];

    /// <summary>(field, factory result, expected TLV hex, masked).</summary>
    public static TheoryData<OxmBasicField, OxmField, string, bool> Factories => new()
    {
        { OxmBasicField.InPort, Oxm.InPort(1), "8000000400000001", false },
        { OxmBasicField.InPhyPort, Oxm.InPhyPort(2), "8000020400000002", false },
        { OxmBasicField.Metadata, Oxm.Metadata(0x0102030405060708), "800004080102030405060708", false },
        { OxmBasicField.Metadata, Oxm.Metadata(1, 0xff), "80000510000000000000000100000000000000ff", true },
        { OxmBasicField.EthDst, Oxm.EthDst(MacA), "8000060602000000000a", false },
        { OxmBasicField.EthDst, Oxm.EthDst(new PhysicalAddress(MacA), new PhysicalAddress(MacMask)), "8000070c02000000000affffff000000", true },
        { OxmBasicField.EthSrc, Oxm.EthSrc(new PhysicalAddress(MacA)), "8000080602000000000a", false },
        { OxmBasicField.EthSrc, Oxm.EthSrc(MacA, MacMask), "8000090c02000000000affffff000000", true },
        { OxmBasicField.EthType, Oxm.EthType(0x0800), "80000a020800", false },
        { OxmBasicField.VlanVid, Oxm.VlanVid(Oxm.VlanPresent | 100), "80000c021064", false },
        { OxmBasicField.VlanVid, Oxm.VlanVid(Oxm.VlanPresent, Oxm.VlanPresent), "80000d0410001000", true },
        { OxmBasicField.VlanPcp, Oxm.VlanPcp(5), "80000e0105", false },
        { OxmBasicField.IpDscp, Oxm.IpDscp(46), "800010012e", false },
        { OxmBasicField.IpEcn, Oxm.IpEcn(3), "8000120103", false },
        { OxmBasicField.IpProto, Oxm.IpProto(6), "8000140106", false },
        { OxmBasicField.Ipv4Src, Oxm.Ipv4Src(IPAddress.Parse("10.0.0.1")), "800016040a000001", false },
        { OxmBasicField.Ipv4Src, Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.0.0.0")), "800017080a000000ff000000", true },
        { OxmBasicField.Ipv4Src, Oxm.Ipv4Src(0x0a000001u), "800016040a000001", false },
        { OxmBasicField.Ipv4Dst, Oxm.Ipv4Dst(IPAddress.Parse("192.168.1.2")), "80001804c0a80102", false },
        { OxmBasicField.Ipv4Dst, Oxm.Ipv4Dst(0xc0a80102u), "80001804c0a80102", false },
        { OxmBasicField.Ipv4Dst, Oxm.Ipv4Dst(IPAddress.Parse("192.168.1.2"), 24), "80001908c0a80100ffffff00", true },
        { OxmBasicField.TcpSrc, Oxm.TcpSrc(80), "80001a020050", false },
        { OxmBasicField.TcpDst, Oxm.TcpDst(443), "80001c0201bb", false },
        { OxmBasicField.UdpSrc, Oxm.UdpSrc(53), "80001e020035", false },
        { OxmBasicField.UdpDst, Oxm.UdpDst(4789), "8000200212b5", false },
        { OxmBasicField.SctpSrc, Oxm.SctpSrc(1), "800022020001", false },
        { OxmBasicField.SctpDst, Oxm.SctpDst(2), "800024020002", false },
        { OxmBasicField.Icmpv4Type, Oxm.Icmpv4Type(8), "8000260108", false },
        { OxmBasicField.Icmpv4Code, Oxm.Icmpv4Code(0), "8000280100", false },
        { OxmBasicField.ArpOp, Oxm.ArpOp(1), "80002a020001", false },
        { OxmBasicField.ArpSpa, Oxm.ArpSpa(IPAddress.Parse("10.0.0.1")), "80002c040a000001", false },
        { OxmBasicField.ArpSpa, Oxm.ArpSpa(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.255.0.0")), "80002d080a000000ffff0000", true },
        { OxmBasicField.ArpTpa, Oxm.ArpTpa(IPAddress.Parse("10.0.0.2")), "80002e040a000002", false },
        { OxmBasicField.ArpTpa, Oxm.ArpTpa(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("255.255.255.0")), "80002f080a000000ffffff00", true },
        { OxmBasicField.ArpSha, Oxm.ArpSha(MacA), "8000300602000000000a", false },
        { OxmBasicField.ArpSha, Oxm.ArpSha(new PhysicalAddress(MacA), new PhysicalAddress(MacMask)), "8000310c02000000000affffff000000", true },
        { OxmBasicField.ArpTha, Oxm.ArpTha(new PhysicalAddress(MacA)), "8000320602000000000a", false },
        { OxmBasicField.ArpTha, Oxm.ArpTha(MacA, MacMask), "8000330c02000000000affffff000000", true },
        { OxmBasicField.Ipv6Src, Oxm.Ipv6Src(IPAddress.Parse("fe80::1")), "80003410fe800000000000000000000000000001", false },
        { OxmBasicField.Ipv6Src, Oxm.Ipv6Src(IPAddress.Parse("fe80::"), IPAddress.Parse("ffff::")), "80003520fe800000000000000000000000000000ffff0000000000000000000000000000", true },
        { OxmBasicField.Ipv6Dst, Oxm.Ipv6Dst(IPAddress.Parse("2001:db8::2")), "8000361020010db8000000000000000000000002", false },
        { OxmBasicField.Ipv6Dst, Oxm.Ipv6Dst(IPAddress.Parse("2001:db8::2"), 32), "8000372020010db8000000000000000000000000ffffffff000000000000000000000000", true },
        { OxmBasicField.Ipv6Flabel, Oxm.Ipv6Flabel(0x12345), "8000380400012345", false },
        { OxmBasicField.Ipv6Flabel, Oxm.Ipv6Flabel(0x12345, 0xfffff), "8000390800012345000fffff", true },
        { OxmBasicField.Icmpv6Type, Oxm.Icmpv6Type(135), "80003a0187", false },
        { OxmBasicField.Icmpv6Code, Oxm.Icmpv6Code(0), "80003c0100", false },
        { OxmBasicField.Ipv6NdTarget, Oxm.Ipv6NdTarget(IPAddress.Parse("fe80::2")), "80003e10fe800000000000000000000000000002", false },
        { OxmBasicField.Ipv6NdSll, Oxm.Ipv6NdSll(MacA), "8000400602000000000a", false },
        { OxmBasicField.Ipv6NdTll, Oxm.Ipv6NdTll(new PhysicalAddress(MacA)), "8000420602000000000a", false },
        { OxmBasicField.MplsLabel, Oxm.MplsLabel(0xfffff), "80004404000fffff", false },
        { OxmBasicField.MplsTc, Oxm.MplsTc(7), "8000460107", false },
        { OxmBasicField.MplsBos, Oxm.MplsBos(1), "8000480101", false },
        { OxmBasicField.PbbIsid, Oxm.PbbIsid(0xabcdef), "80004a03abcdef", false },
        { OxmBasicField.PbbIsid, Oxm.PbbIsid(0xabcdef, 0xff0000), "80004b06abcdefff0000", true },
        { OxmBasicField.TunnelId, Oxm.TunnelId(0x0909090909090909), "80004c080909090909090909", false },
        { OxmBasicField.TunnelId, Oxm.TunnelId(1, ulong.MaxValue), "80004d100000000000000001ffffffffffffffff", true },
        { OxmBasicField.Ipv6Exthdr, Oxm.Ipv6Exthdr(0x01f4), "80004e0201f4", false },
        { OxmBasicField.Ipv6Exthdr, Oxm.Ipv6Exthdr(0x01f4, 0x01ff), "80004f0401f401ff", true },
        { OxmBasicField.PbbUca, Oxm.PbbUca(1), "8000520101", false },
    };

    [Theory]
    [MemberData(nameof(Factories))]
    public void Write_EachFactory_MatchesSpecLayout(OxmBasicField field, OxmField oxm, string hex, bool masked)
    {
        string written = Convert.ToHexStringLower(WireCodec.Encode(oxm));

        Assert.True(hex.Equals(written, StringComparison.Ordinal), $"{field}: expected {hex}, wrote {written}");
        Assert.Equal(field, oxm.BasicField);
        Assert.Equal(masked, oxm.HasMask);
        Assert.Equal(OxmBasicFields.ValueSize(field) * (masked ? 2 : 1), oxm.PayloadLength);
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Read_EachFactoryLayout_DecodesToAnEqualField(OxmBasicField field, OxmField oxm, string hex, bool masked)
    {
        OxmField decoded = WireCodec.DecodeOxm(Convert.FromHexString(hex));

        Assert.True(oxm.Equals(decoded), $"{field} (masked {masked}): decoded {decoded}");
        Assert.Equal(oxm.GetHashCode(), decoded.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Factories))]
    public void Read_EveryStrictPrefixOfEachField_ThrowsBadOxmLength(OxmBasicField field, OxmField oxm, string hex, bool masked)
    {
        byte[] bytes = Convert.FromHexString(hex);

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
            {
                var reader = new WireReader(prefix);
                OxmField.Read(ref reader);
            });

            Assert.True(reason == ProtocolErrorReason.BadOxmLength, $"{field} (masked {masked}, {oxm.Length} bytes) cut to {length}: {reason}");
        }
    }

    [Property]
    public void Read_AnyBasicFieldWithAnyValue_RoundTrips(byte fieldIndex, bool masked, byte[] seed)
    {
        OxmBasicField[] fields = Enum.GetValues<OxmBasicField>();
        OxmBasicField field = fields[fieldIndex % fields.Length];
        int size = OxmBasicFields.ValueSize(field);
        byte[] value = new byte[size];
        byte[] mask = new byte[size];
        for (int i = 0; i < size && seed.Length > 0; i++)
        {
            value[i] = seed[i % seed.Length];
            mask[i] = seed[(i + size) % seed.Length];
        }

        OxmField oxm = masked ? new OxmField(field, value, mask) : new OxmField(field, value);

        OxmField decoded = WireCodec.DecodeOxm(WireCodec.Encode(oxm));

        Assert.Equal(oxm, decoded);
        Assert.Equal(OxmField.HeaderSize + (size * (masked ? 2 : 1)), decoded.Length);
    }

    [Fact]
    public void Factories_CoverEveryBasicFieldAndEveryAllowedMask()
    {
        var rows = Factories.Select(row => ((OxmBasicField)row[0], (bool)row[3])).ToHashSet();

        foreach (OxmBasicField field in Enum.GetValues<OxmBasicField>())
        {
            Assert.Contains((field, false), rows);
            Assert.Equal(OxmBasicFields.IsMaskable(field), rows.Contains((field, true)));
        }
    }

    [Fact]
    public void ValueAs_TypedAccessors_ReturnWhatTheFactoriesTook()
    {
        Assert.Equal(0xfffffffdu, Oxm.InPort(0xfffffffd).ValueAsUInt32());
        Assert.Equal(0x0102030405060708ul, Oxm.Metadata(0x0102030405060708).ValueAsUInt64());
        Assert.Equal((ushort)0x86dd, Oxm.EthType(0x86dd).ValueAsUInt16());
        Assert.Equal((byte)17, Oxm.IpProto(17).ValueAsByte());
        Assert.Equal(0xabcdefu, Oxm.PbbIsid(0xabcdef).ValueAsUInt32());
        Assert.Equal(0x02000000000aul, Oxm.EthDst(MacA).ValueAsUInt64());
        Assert.Equal(IPAddress.Parse("10.1.2.3"), Oxm.Ipv4Dst(IPAddress.Parse("10.1.2.3")).ValueAsIPAddress());
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Oxm.Ipv6Src(IPAddress.Parse("2001:db8::1")).ValueAsIPAddress());
        Assert.Equal(new PhysicalAddress(MacA), Oxm.ArpSha(MacA).ValueAsPhysicalAddress());
    }

    [Fact]
    public void MaskAs_MaskedFields_ReturnTheMask()
    {
        Assert.Equal(IPAddress.Parse("255.255.255.0"), Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), 24).MaskAsIPAddress());
        Assert.Equal(new PhysicalAddress(MacMask), Oxm.EthSrc(MacA, MacMask).MaskAsPhysicalAddress());
        Assert.Equal(ulong.MaxValue, Oxm.TunnelId(1, ulong.MaxValue).MaskAsUInt64());
        Assert.Equal(0xfffffu, Oxm.Ipv6Flabel(1, 0xfffff).MaskAsUInt32());
        Assert.Equal((ushort)0x1000, Oxm.VlanVid(0x1000, 0x1000).MaskAsUInt16());
    }

    [Fact]
    public void MaskAs_UnmaskedField_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Oxm.InPort(1).MaskAsUInt32());
    }

    [Fact]
    public void ValueAs_ReadWiderThanTheType_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Oxm.Metadata(1).ValueAsUInt32());
        Assert.Throws<InvalidOperationException>(() => Oxm.EthType(1).ValueAsIPAddress());
        Assert.Throws<InvalidOperationException>(() => Oxm.InPort(1).ValueAsPhysicalAddress());
    }

    [Fact]
    public void Ipv4Src_PrefixLength_ClearsHostBitsAndDropsFullMask()
    {
        OxmField slash20 = Oxm.Ipv4Src(IPAddress.Parse("10.1.255.7"), 20);
        OxmField slash32 = Oxm.Ipv4Src(IPAddress.Parse("10.1.255.7"), 32);

        Assert.Equal(IPAddress.Parse("10.1.240.0"), slash20.ValueAsIPAddress());
        Assert.Equal(IPAddress.Parse("255.255.240.0"), slash20.MaskAsIPAddress());
        Assert.Equal(Oxm.Ipv4Src(IPAddress.Parse("10.1.255.7")), slash32);
    }

    [Fact]
    public void Ipv6Dst_PrefixLength_BuildsTheMask()
    {
        OxmField slash65 = Oxm.Ipv6Dst(IPAddress.Parse("2001:db8::ffff:1"), 65);

        Assert.Equal(IPAddress.Parse("2001:db8::"), slash65.ValueAsIPAddress());
        Assert.Equal(IPAddress.Parse("ffff:ffff:ffff:ffff:8000::"), slash65.MaskAsIPAddress());
    }

    [Fact]
    public void Factories_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Oxm.Ipv4Src(IPAddress.Parse("::1")));
        Assert.Throws<ArgumentException>(() => Oxm.Ipv6Src(IPAddress.Parse("10.0.0.1")));
        Assert.Throws<ArgumentException>(() => Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("ffff::")));
        Assert.Throws<ArgumentException>(() => Oxm.EthDst([1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Oxm.Ipv4Src(IPAddress.Parse("10.0.0.0"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => Oxm.PbbIsid(0x1000000));
    }

    [Fact]
    public void Write_HandBuiltFieldThatItsHeaderWouldMisdescribe_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => WireCodec.Encode(new OxmField(OxmBasicField.InPort, new byte[2])));
        Assert.Throws<InvalidOperationException>(() => WireCodec.Encode(new OxmField(OxmBasicField.Ipv4Src, new byte[4], new byte[3])));
        Assert.Throws<InvalidOperationException>(() => WireCodec.Encode(new OxmField(OxmClass.OpenFlowBasic, 0, false, new byte[4], new byte[4])));
        Assert.Throws<InvalidOperationException>(() => WireCodec.Encode(new OxmField(OxmClass.Experimenter, 0x80, false, new byte[4], ReadOnlyMemory<byte>.Empty)));
    }

    [Fact]
    public void ToString_Field_ShowsNameAndBytes()
    {
        Assert.Contains("ipv4_dst = 0a000000/ff000000", Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.0"), 8).ToString(), StringComparison.Ordinal);
        Assert.Contains("tcp_dst = 0050", new OfpMatch([Oxm.TcpDst(80)]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_SameFieldFromDifferentArrays_AreEqualAndDifferentValuesAreNot()
    {
        Assert.Equal(Oxm.TcpDst(80), Oxm.TcpDst(80));
        Assert.Equal(Oxm.TcpDst(80).GetHashCode(), Oxm.TcpDst(80).GetHashCode());
        Assert.NotEqual(Oxm.TcpDst(80), Oxm.TcpDst(81));
        Assert.NotEqual(Oxm.TcpDst(80), Oxm.TcpSrc(80));
        Assert.NotEqual(Oxm.VlanVid(0x1000), Oxm.VlanVid(0x1000, 0x1000));
    }
}
