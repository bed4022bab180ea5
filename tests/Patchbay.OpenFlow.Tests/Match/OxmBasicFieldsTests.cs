// The os-ken name table and the maskability table of the basic OXM fields.
using Patchbay.OpenFlow.Match;

namespace Patchbay.OpenFlow.Tests.Match;

public class OxmBasicFieldsTests
{
    [Theory]
    [InlineData(OxmBasicField.InPort, "in_port")]
    [InlineData(OxmBasicField.EthDst, "eth_dst")]
    [InlineData(OxmBasicField.VlanVid, "vlan_vid")]
    [InlineData(OxmBasicField.Ipv4Src, "ipv4_src")]
    [InlineData(OxmBasicField.Icmpv6Code, "icmpv6_code")]
    [InlineData(OxmBasicField.Ipv6NdTarget, "ipv6_nd_target")]
    [InlineData(OxmBasicField.TunnelId, "tunnel_id")]
    [InlineData(OxmBasicField.Ipv6Exthdr, "ipv6_exthdr")]
    [InlineData(OxmBasicField.PbbUca, "pbb_uca")]
    public void Name_KnownField_IsTheOsKenName(OxmBasicField field, string name)
    {
        Assert.Equal(name, OxmBasicFields.Name(field));
    }

    [Fact]
    public void Name_EveryField_IsUniqueAndParsesBack()
    {
        OxmBasicField[] fields = Enum.GetValues<OxmBasicField>();

        Assert.Equal(fields.Length, fields.Select(OxmBasicFields.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (OxmBasicField field in fields)
        {
            Assert.True(OxmBasicFields.TryParseName(OxmBasicFields.Name(field), out OxmBasicField parsed));
            Assert.Equal(field, parsed);
            Assert.NotEqual(0, OxmBasicFields.ValueSize(field));
        }
    }

    [Fact]
    public void Name_FieldNotIn13_NamesItsNumber()
    {
        Assert.Equal("field_40", OxmBasicFields.Name((OxmBasicField)40));
        Assert.False(OxmBasicFields.TryParseName("tcp_flags", out _));
    }

    [Theory]
    [InlineData(OxmBasicField.InPort, 4)]
    [InlineData(OxmBasicField.Metadata, 8)]
    [InlineData(OxmBasicField.EthSrc, 6)]
    [InlineData(OxmBasicField.IpProto, 1)]
    [InlineData(OxmBasicField.Ipv6Dst, 16)]
    [InlineData(OxmBasicField.PbbIsid, 3)]
    [InlineData(OxmBasicField.Ipv6Exthdr, 2)]
    [InlineData(OxmBasicField.PbbUca, 1)]
    [InlineData((OxmBasicField)40, 0)]
    [InlineData((OxmBasicField)42, 0)]
    [InlineData((OxmBasicField)0x7f, 0)]
    [InlineData((OxmBasicField)0xff, 0)]
    public void ValueSize_AnyFieldNumber_IsTheSpecSizeOrZero(OxmBasicField field, int size)
    {
        Assert.Equal(size, OxmBasicFields.ValueSize(field));
    }

    [Fact]
    public void IsMaskable_FollowsSpecTable()
    {
        Assert.True(OxmBasicFields.IsMaskable(OxmBasicField.Ipv4Dst));
        Assert.True(OxmBasicFields.IsMaskable(OxmBasicField.Metadata));
        Assert.False(OxmBasicFields.IsMaskable(OxmBasicField.InPort));
        Assert.False(OxmBasicFields.IsMaskable(OxmBasicField.TcpDst));
        Assert.False(OxmBasicFields.IsMaskable(OxmBasicField.Ipv6NdTarget));
    }
}
