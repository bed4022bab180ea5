// The model runs packets from PACKET_IN-like untrusted input: whatever the bytes, Evaluate answers and
// never throws, and every frame it outputs after an IPv4 rewrite still carries valid checksums.
using FsCheck.Xunit;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Simulation;

public class SwitchModelPropertyTests
{
    private static readonly MacAddress HostMac = MacAddress.Parse("02:ff:00:00:00:01");
    private static readonly Ipv4Address Rewritten = Ipv4Address.Parse("198.18.0.9");

    private static SwitchModel Model()
    {
        var model = new SwitchModel();
        model.Apply(Flows.PacketMeter(3, 1000));
        model.Apply(Flows.Add(0, 200, [Oxm.InPort(3), Flows.IsIpv4], Flows.Metadata(1), Flows.Goto(20)));
        model.Apply(Flows.Add(0, 200, [Oxm.InPort(3), Flows.IsArp, Oxm.ArpOp(1)], Flows.Meter(3), Flows.Apply(Flows.ToController())));
        model.Apply(Flows.Add(0, 190, [Oxm.InPort(3), Oxm.VlanVid(Oxm.VlanPresent, Oxm.VlanPresent)], Flows.Apply(new PopVlanAction(), Flows.SetEthDst(HostMac), Flows.Output(4))));
        model.Apply(Flows.Add(0, 100, [Oxm.InPort(3)], Flows.Apply()));
        model.Apply(Flows.Add(20, 100, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Tcp)], Flows.Apply(Flows.SetIpv4Dst(Rewritten), new SetFieldAction(Oxm.TcpDst(8080)), Flows.SetEthSrc(HostMac), Flows.Output(1))));
        model.Apply(Flows.Add(20, 100, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Udp)], Flows.Apply(Flows.SetIpv4Src(Rewritten), new SetFieldAction(Oxm.UdpSrc(5353)), Flows.Output(1))));
        model.Apply(Flows.Add(20, 100, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Icmp)], Flows.Apply(new SetFieldAction(Oxm.Icmpv4Type(0)), Flows.SetIpv4Dst(Rewritten), Flows.Output(1))));
        model.Apply(Flows.Add(20, 1, [Oxm.InPort(3)], Flows.Meter(3), Flows.Apply(Flows.ToController())));
        return model;
    }

    [Property(MaxTest = 2000)]
    public void Evaluate_RandomBytes_AnswersWithoutThrowing(byte[] frame)
    {
        PipelineResult result = Model().Evaluate(3, frame);

        Assert.NotEmpty(result.Outcomes);
    }

    [Property(MaxTest = 2000)]
    public void Evaluate_CorruptedIpv4Frame_AnswersWithoutThrowing(byte protocol, ushort index, byte value, ushort cut)
    {
        byte[] frame = Frame(protocol);
        frame[index % frame.Length] = value;

        PipelineResult result = Model().Evaluate(3, frame.AsSpan(0, Math.Max(1, cut % (frame.Length + 1))));

        Assert.NotEmpty(result.Outcomes);
    }

    [Property(MaxTest = 500)]
    public void Evaluate_WellFormedIpv4_RewrittenOutputKeepsValidChecksums(byte protocol, byte[] payload, uint src, uint dst)
    {
        byte[] frame = Frame(protocol, payload, new Ipv4Address(src), new Ipv4Address(dst));

        PipelineResult result = Model().Evaluate(3, frame);

        foreach (PacketForwarded output in result.Forwarded)
        {
            Assert.True(Ipv4View.TryParseFrame(output.Frame, out _, out Ipv4View ip));
            Assert.True(ip.IsChecksumValid);
            if (TcpView.TryParse(ip.Payload, out TcpView tcp) && ip.Protocol == IpProtocol.Tcp)
            {
                Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
                Assert.Equal(8080, tcp.DestinationPort);
            }
            else if (ip.Protocol == IpProtocol.Udp && UdpView.TryParse(ip.Payload, out UdpView udp))
            {
                Assert.True(udp.IsChecksumValid(ip.Source, ip.Destination));
            }
            else if (ip.Protocol == IpProtocol.Icmp && IcmpView.TryParse(ip.Payload, out IcmpView icmp))
            {
                Assert.True(icmp.IsChecksumValid);
                Assert.Equal(IcmpType.EchoReply, icmp.Type);
            }
        }
    }

    private static byte[] Frame(byte protocol, byte[]? payload = null, Ipv4Address? src = null, Ipv4Address? dst = null)
    {
        var addresses = new FrameAddresses(MacAddress.Parse("02:00:00:00:00:03"), HostMac, src ?? Ipv4Address.Parse("10.0.0.3"), dst ?? Ipv4Address.Parse("10.0.0.4"));
        return (protocol % 3) switch
        {
            0 => FrameBuilder.Tcp(addresses, 40000, 80, TcpFlags.Syn, payload: payload),
            1 => FrameBuilder.Udp(addresses, 1000, 53, payload),
            _ => FrameBuilder.IcmpEcho(addresses, 1, 2, payload),
        };
    }
}
