// The controller parses every first packet and ARP request it is sent: parsing with checksum checks, and
// writing an ARP reply into a reused buffer. The target is zero bytes allocated per operation.
using BenchmarkDotNet.Attributes;
using Patchbay.Packets;

namespace Patchbay.Benchmarks;

[MemoryDiagnoser]
public class PacketBenchmarks
{
    private static readonly MacAddress Answer = MacAddress.Parse("0e:50:42:00:00:02");

    private readonly byte[] _reply = new byte[64];
    private byte[] _tcp = [];
    private byte[] _arp = [];

    [GlobalSetup]
    public void Setup()
    {
        var addresses = new FrameAddresses(MacAddress.Parse("0e:50:42:00:00:01"), MacAddress.Parse("0e:50:42:00:00:02"), Ipv4Address.Parse("10.10.0.2"), Ipv4Address.Parse("10.10.0.3"));
        _tcp = FrameBuilder.Tcp(addresses, 40000, 80, TcpFlags.Syn);
        _arp = ArpPacket.BuildRequest(MacAddress.Parse("0e:50:42:00:00:01"), Ipv4Address.Parse("10.10.0.2"), Ipv4Address.Parse("10.10.0.3"));
    }

    [Benchmark]
    public int ParseTcpFirstPacket() =>
        Ipv4View.TryParseFrame(_tcp, out _, out Ipv4View ip) && ip.IsChecksumValid
        && TcpView.TryParse(ip.Payload, out TcpView tcp) && tcp.IsChecksumValid(ip.Source, ip.Destination)
            ? tcp.DestinationPort
            : -1;

    [Benchmark]
    public int AnswerArpRequest() =>
        ArpPacket.TryWriteReply(_arp, Answer, _reply, out int written) ? written : -1;
}
