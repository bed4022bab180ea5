// A real capture of our encoder's messages on the wire, dissected by Wireshark's independent OpenFlow
// dissector: every message we send must parse there as OpenFlow 1.3 without a single malformed mark.
// The switch reaches our unix-socket listener through socat on 127.0.0.1:6653 inside the switch
// namespace, so tcpdump can capture the TCP stream on that namespace's loopback.
using System.Net;
using System.Net.NetworkInformation;
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.EndToEnd.Tests.Capture;

public sealed class TsharkDissectionTests : BridgeLabTest
{
    private const string RelayTarget = "tcp:127.0.0.1:6653";

    [Fact]
    public async Task Capture_OurMessagesOverTcp_TsharkDissectsOpenFlow13WithoutMalformedMarks()
    {
        using var timeout = TestTimeout.Start(90);
        var netns = Lab.Host.SwitchNetns;
        var pcap = Path.Combine(Lab.Host.Directory, "openflow.pcap");
        await using var capture = netns.StartBackground(["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-n", "-w", pcap, "tcp", "port", "6653"]);
        await using var relay = netns.StartBackground(
            ["socat", "TCP-LISTEN:6653,bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + Lab.Controller.SocketPath]);
        await WaitUntilAsync(
            () => Task.FromResult(capture.Output.Contains("listening on lo", StringComparison.Ordinal)),
            () => capture.HasExited,
            () => $"tcpdump to start; '{capture.CommandLine}' printed:{Environment.NewLine}{capture.Output}",
            timeout.Token);
        await WaitUntilAsync(
            async () => (await netns.ExecAsync(["ss", "-Hltn", "sport", "= :6653"], cancellationToken: timeout.Token)).StandardOutput.Contains("6653", StringComparison.Ordinal),
            () => relay.HasExited,
            () => $"socat to listen; '{relay.CommandLine}' printed:{Environment.NewLine}{relay.Output}",
            timeout.Token);

        var session = await Lab.ConnectBridgeAsync(0x5042_0000_0000_0006, timeout.Token, RelayTarget);
        var port = await Lab.PlugAsync("c1", "10.0.0.1/24", 1, timeout.Token);
        foreach (var message in OurMessages(port.OfPort))
        {
            await session.SendAsync(message, timeout.Token);
        }

        await session.BarrierAsync(timeout.Token);
        await session.RequestAsync<EchoReply>(new EchoRequest("patchbay"u8.ToArray()), timeout.Token);
        await session.RequestAsync<GetConfigReply>(new GetConfigRequest(), timeout.Token);
        await session.MultipartAsync(new FlowStatsRequest(), timeout.Token);
        await session.MultipartAsync(new PortDescRequest(), timeout.Token);
        await session.MultipartAsync(new DescRequest(), timeout.Token);
        Assert.DoesNotContain(Lab.Controller.Received, r => r.Message is ErrorMsg);
        await capture.StopAsync(TimeSpan.FromSeconds(5));

        var dissected = await netns.ExecAsync(["tshark", "-r", pcap, "-d", "tcp.port==6653,openflow", "-V"], cancellationToken: timeout.Token);
        var text = dissected.StandardOutput;
        var summary = await netns.ExecAsync(["tshark", "-r", pcap, "-d", "tcp.port==6653,openflow"], cancellationToken: timeout.Token);

        Assert.True(
            text.Contains("OpenFlow 1.3", StringComparison.Ordinal),
            $"tshark shows no OpenFlow 1.3 in {new FileInfo(pcap).Length} bytes of capture; tshark said: {dissected.StandardError}; tcpdump said: {capture.Output}");
        foreach (var type in new[] { "OFPT_HELLO", "OFPT_FEATURES_REQUEST", "OFPT_FEATURES_REPLY", "OFPT_FLOW_MOD", "OFPT_PACKET_OUT", "OFPT_SET_CONFIG", "OFPT_BARRIER_REQUEST", "OFPT_BARRIER_REPLY", "OFPT_ECHO_REQUEST", "OFPT_GET_CONFIG_REQUEST", "OFPT_MULTIPART_REQUEST", "OFPT_MULTIPART_REPLY" })
        {
            Assert.True(text.Contains(type, StringComparison.Ordinal), $"tshark shows no {type}; summary:{Environment.NewLine}{summary.StandardOutput}");
        }

        Assert.True(CountOccurrences(text, "Type: OFPT_FLOW_MOD") >= OurMessages(port.OfPort).Count(m => m is FlowMod), $"fewer FLOW_MODs dissected than sent; summary:{Environment.NewLine}{summary.StandardOutput}");
        Assert.False(text.Contains("Malformed", StringComparison.Ordinal), "tshark marks a packet malformed:" + Environment.NewLine + Excerpt(text, "Malformed"));
        Assert.False(text.Contains("Expert Info (Error", StringComparison.Ordinal), "tshark reports an expert error:" + Environment.NewLine + Excerpt(text, "Expert Info (Error"));
    }

    /// <summary>One of each shape our encoder writes: matches with masks, set-field, goto, metadata, packet-out with data.</summary>
    private static IReadOnlyList<OfpMessage> OurMessages(uint port) =>
    [
        new SetConfig(ConfigFlags.FragNormal, 128),
        new FlowMod
        {
            Cookie = 0x5042_0000_0000_0001,
            Priority = 100,
            IdleTimeout = 10,
            Flags = FlowModFlags.SendFlowRem,
            Match = new OfpMatch([Oxm.InPort(port), Oxm.EthType(0x0800), Oxm.Ipv4Src(IPAddress.Parse("10.0.0.1")), Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.0"), 24), Oxm.IpProto(17), Oxm.UdpDst(53)]),
            Instructions =
            [
                new ApplyActionsInstruction(
                [
                    new SetFieldAction(Oxm.EthDst(PhysicalAddress.Parse("02-00-00-00-00-02"))),
                    new SetFieldAction(Oxm.Ipv4Dst(IPAddress.Parse("10.0.0.9"))),
                    new OutputAction(port, 0),
                ]),
            ],
        },
        new FlowMod
        {
            TableId = 10,
            Priority = 5,
            Match = new OfpMatch([Oxm.EthDst(PhysicalAddress.Parse("01-00-00-00-00-00"), PhysicalAddress.Parse("01-00-00-00-00-00"))]),
            Instructions = [new WriteMetadataInstruction(0x10, 0xff), new GotoTableInstruction(20)],
        },
        new FlowMod
        {
            TableId = 20,
            Priority = 1,
            Instructions = [new ApplyActionsInstruction([new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer)])],
        },
        new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Cookie = 0x77, CookieMask = ulong.MaxValue },
        new PacketOut(OfpConstants.NoBuffer, OfpPortNo.Controller, [new OutputAction(port, 0)], ExperimentalFrame()),
    ];

    /// <summary>A minimum-size broadcast frame with the local-experimental EtherType: nothing in the lab reacts to it.</summary>
    private static byte[] ExperimentalFrame()
    {
        var frame = new byte[60];
        frame.AsSpan(0, 6).Fill(0xff);
        byte[] source = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        source.CopyTo(frame, 6);
        frame[12] = 0x88;
        frame[13] = 0xb5;
        return frame;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<bool> gaveUp, Func<string> what, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100 && !gaveUp(); attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException("timed out waiting for " + what());
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Excerpt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        var start = Math.Max(0, at - 1500);
        return text[start..Math.Min(text.Length, at + 500)];
    }
}
