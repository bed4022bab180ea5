// The pieces the counts rest on: percentiles from the histogram, the token a PACKET_OUT carries back, and
// Patchbay traffic that never repeats an endpoint pair before it has used them all.
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.LoadGen.Tests;

public sealed class BookkeepingTests
{
    [Fact]
    public void Percentile_UniformMicroseconds_WithinOnePercent()
    {
        var histogram = new LatencyHistogram();
        for (long us = 1; us <= 1000; us++)
        {
            histogram.Record(us * 1000);
        }

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.Percentile(50), 495_000, 505_000);
        Assert.InRange(histogram.Percentile(99), 980_100, 999_900);
        Assert.InRange(histogram.Percentile(100), 990_000, 1_010_000);
    }

    [Fact]
    public void Write_DecodesAsPacketInWithTokenAndAddresses()
    {
        var writer = new PacketInWriter(20);
        var bytes = new byte[writer.Length];
        var conversation = new Conversation(7, 0x02_00_00_00_00_01, 0x02_00_00_00_00_02, 0x0a000001, 0x0a000002);

        writer.Write(bytes, 99, OfpConstants.NoBuffer, conversation, 12345);

        var packetIn = (PacketIn)OfpMessageReader.Decode(bytes);
        Assert.Equal(99u, packetIn.Xid);
        Assert.Equal(7u, packetIn.InPort);
        Assert.Equal((byte)20, packetIn.TableId);
        Assert.Equal(PacketInWriter.FrameLength, packetIn.Data.Length);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0 }, packetIn.Data[..14].ToArray());
        Assert.True(PacketInWriter.TryReadToken(packetIn.Data.Span, out uint token));
        Assert.Equal(12345u, token);
        Assert.Equal(0, Ipv4HeaderSum(packetIn.Data.Span.Slice(14, 20)));
    }

    [Fact]
    public void TryReadToken_ForeignFrame_False()
    {
        Assert.False(PacketInWriter.TryReadToken(new byte[64], out _));
        Assert.False(PacketInWriter.TryReadToken(new byte[10], out _));
    }

    [Fact]
    public void PatchbayConversations_EveryCrossHostPairOnceBeforeWrapping()
    {
        const int hosts = 3;
        const int perHost = 4;
        IReadOnlyList<BenchEndpoint> all = PatchbaySetup.Plan(hosts, perHost);
        var pairs = new HashSet<(uint, uint)>();
        for (int s = 0; s < hosts; s++)
        {
            var source = new PatchbayConversations(s, perHost, all);
            for (long n = 0; source.Wraps == 0; n++)
            {
                Conversation c = source.Next(n);
                if (source.Wraps > 0)
                {
                    break;
                }

                Assert.NotEqual(c.SourceIp >> 8, c.DestinationIp >> 8);
                Assert.True(pairs.Add((Math.Min(c.SourceIp, c.DestinationIp), Math.Max(c.SourceIp, c.DestinationIp))), $"pair {c.SourceIp:x8}-{c.DestinationIp:x8} repeated");
            }
        }

        int endpoints = hosts * perHost;
        Assert.Equal((endpoints * (endpoints - perHost)) / 2, pairs.Count);
    }

    private static int Ipv4HeaderSum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += (uint)((header[i] << 8) | header[i + 1]);
        }

        sum = (sum & 0xffff) + (sum >> 16);
        sum += sum >> 16;
        return (int)(~sum & 0xffff);
    }
}
