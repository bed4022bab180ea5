// The packet-in path parses every first packet and ARP request: parsing, checksum checks and writing an ARP
// reply into a caller's buffer must not allocate (STYLE.md rule 7).
namespace Patchbay.Packets.Tests;

public class AllocationTests
{
    [Fact]
    public void ParseAndVerify_CapturedEchoAndArp_AllocateNothing()
    {
        byte[] echo = CapturedFrames.EchoRequest;
        byte[] arp = ArpPacket.BuildRequest(MacAddress.Parse("02:00:00:00:00:01"), Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"));
        byte[] tcp = FrameBuilder.Tcp(new FrameAddresses(MacAddress.Zero, MacAddress.Broadcast, new Ipv4Address(1), new Ipv4Address(2)), 1, 2, TcpFlags.Syn);
        var reply = new byte[64];
        int checksum = ParseAll(echo, arp, tcp, reply);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            checksum += ParseAll(echo, arp, tcp, reply);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static int ParseAll(byte[] echo, byte[] arp, byte[] tcpFrame, byte[] reply)
    {
        int sum = 0;
        if (Ipv4View.TryParseFrame(echo, out EthernetFrame ethernet, out Ipv4View ip) && ip.IsChecksumValid && IcmpView.TryParse(ip.Payload, out IcmpView icmp) && icmp.IsChecksumValid)
        {
            sum += (int)(ethernet.Source.Value & 0xff) + (int)ip.Destination.Value + icmp.Sequence;
        }

        if (ArpView.TryParseFrame(arp, out _, out ArpView request) && ArpPacket.TryWriteReply(arp, MacAddress.Broadcast, reply, out int written))
        {
            sum += (int)request.TargetIp.Value + written;
        }

        if (Ipv4View.TryParseFrame(tcpFrame, out _, out Ipv4View tcpIp) && TcpView.TryParse(tcpIp.Payload, out TcpView tcp) && tcp.IsChecksumValid(tcpIp.Source, tcpIp.Destination))
        {
            sum += tcp.DestinationPort;
        }

        return sum;
    }
}
