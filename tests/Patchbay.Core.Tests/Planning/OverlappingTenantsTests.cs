// Issue #5 point 1 through the modelled switches: tenants red and blue both hold 10.1.0.0/24 with .2 on h1
// and .3 on h2, and both talk at the same time. Each tenant's packets reach only its own .3 (and replies its
// own .2), the frames on the fabric differ only in the (host, network) source MAC, and nothing is encapsulated.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Planning;

public sealed class OverlappingTenantsTests
{
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Red = PlanningLab.Network(1, tenant: "red");
    private static readonly Network Blue = PlanningLab.Network(2, tenant: "blue");
    private static readonly Endpoint RedA = PlanningLab.Endpoint(1, H1, Red, lastOctet: 2);
    private static readonly Endpoint RedB = PlanningLab.Endpoint(2, H2, Red, lastOctet: 3);
    private static readonly Endpoint BlueA = PlanningLab.Endpoint(3, H1, Blue, lastOctet: 2);
    private static readonly Endpoint BlueB = PlanningLab.Endpoint(4, H2, Blue, lastOctet: 3);

    private readonly PlannedFabric _lab = new(new FlowPlanner(new PlannerOptions()), [H1, H2], [Red, Blue], [RedA, RedB, BlueA, BlueB]);

    [Fact]
    public void Ping_BothTenantsSameAddressesSameHosts_EachReachesOnlyItsOwnEndpoint()
    {
        _lab.Converse(1, RedA, RedB);
        _lab.Converse(2, BlueA, BlueB);

        for (ushort sequence = 1; sequence <= 3; sequence++)
        {
            Assert.Equal(RedB.Name, _lab.Ping(RedA, RedB, sequence).SingleArrival.Endpoint.Name);
            Assert.Equal(BlueB.Name, _lab.Ping(BlueA, BlueB, sequence).SingleArrival.Endpoint.Name);
            Assert.Equal(RedA.Name, _lab.Ping(RedB, RedA, sequence).SingleArrival.Endpoint.Name);
            Assert.Equal(BlueA.Name, _lab.Ping(BlueB, BlueA, sequence).SingleArrival.Endpoint.Name);
        }
    }

    [Fact]
    public void Ping_InstalledInEitherOrder_TheSecondTenantDoesNotTakeOverTheFirst()
    {
        _lab.Converse(1, BlueB, BlueA);
        _lab.Converse(2, RedA, RedB);

        Assert.Equal(BlueB.Name, _lab.Ping(BlueA, BlueB).SingleArrival.Endpoint.Name);
        Assert.Equal(RedB.Name, _lab.Ping(RedA, RedB).SingleArrival.Endpoint.Name);
    }

    [Fact]
    public void Ping_OnlyOneTenantConversing_TheOtherGoesToTheControllerAndNeverCrosses()
    {
        _lab.Converse(1, RedA, RedB);

        FabricDelivery blue = _lab.Ping(BlueA, BlueB);

        Assert.Empty(blue.Arrivals);
        Assert.Empty(blue.Segment);
        Assert.Equal(H1.Name, Assert.Single(blue.PacketIns).Host);
    }

    [Fact]
    public void Ping_RevokingOneTenant_LeavesTheOtherDeliveredAndStopsItsOwn()
    {
        ConversationPlan red = _lab.Converse(1, RedA, RedB);
        _lab.Converse(2, BlueA, BlueB);

        _lab.Revoke(red, RedA, RedB);

        Assert.Equal(BlueB.Name, _lab.Ping(BlueA, BlueB).SingleArrival.Endpoint.Name);
        FabricDelivery redPing = _lab.Ping(RedA, RedB);
        Assert.Empty(redPing.Arrivals);
        Assert.Single(redPing.PacketIns);
    }

    [Fact]
    public void Fabric_BothTenants_FramesDifferOnlyInTheNetworkHostSourceMac()
    {
        _lab.Converse(1, RedA, RedB);
        _lab.Converse(2, BlueA, BlueB);

        byte[] redOnWire = Assert.Single(_lab.Ping(RedA, RedB).Segment).Frame;
        byte[] blueOnWire = Assert.Single(_lab.Ping(BlueA, BlueB).Segment).Frame;

        Assert.True(EthernetFrame.TryParse(redOnWire, out EthernetFrame red));
        Assert.True(EthernetFrame.TryParse(blueOnWire, out EthernetFrame blue));
        Assert.Equal((new MacAddress(0x06_00_01_00_00_01), H2.UplinkMac), (red.Source, red.Destination));
        Assert.Equal((new MacAddress(0x06_00_01_00_00_02), H2.UplinkMac), (blue.Source, blue.Destination));
        Assert.Equal(redOnWire.AsSpan(MacAddress.Size * 2).ToArray(), blueOnWire.AsSpan(MacAddress.Size * 2).ToArray());
        Assert.Equal(PlannedFabric.Echo(RedA, RedB).Length, redOnWire.Length);
    }

    [Fact]
    public void UplinkFrame_OtherTenantsSourceMacWithItsPair_DeliveredToThatTenantOnly()
    {
        _lab.Converse(1, RedA, RedB);
        _lab.Converse(2, BlueA, BlueB);
        byte[] asBlue = FrameBuilder.IcmpEcho(new FrameAddresses(NetworkHostMac.Of(H1, Blue), H2.UplinkMac, RedA.Ip, RedB.Ip), 1, 1, new byte[8]);

        FabricDelivery delivery = _lab.Fabric.InjectOnSegment(asBlue);

        Assert.Equal(BlueB.Name, delivery.SingleArrival.Endpoint.Name);
    }

    [Theory]
    [InlineData(0xc6_12_00_01U, 1U, 0x06_00_01_00_00_01UL)]
    [InlineData(0xc6_13_ab_cdU, 0x00ff_ffffU, 0x06_ab_cd_ff_ff_ffUL)]
    public void NetworkHostMac_HostAndNetwork_LocallyAdministeredUnicastWithBoth(uint underlay, uint network, ulong expected)
    {
        Host host = H1 with { UnderlayIp = new Ipv4Address(underlay) };

        MacAddress mac = NetworkHostMac.Of(host, PlanningLab.Network(network));

        Assert.Equal(new MacAddress(expected), mac);
        Assert.False(mac.IsMulticast);
    }

    [Fact]
    public void NetworkHostMac_NetworkIdAbove24Bits_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkHostMac.Of(H1, PlanningLab.Network(NetworkHostMac.MaxNetworkId + 1)));
}
