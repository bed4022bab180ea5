// Frames captured with tcpdump from `ping -c 1 -s 16 -p 6162636465666768 127.0.0.1` in a scratch network
// namespace (Linux 6.x): the kernel computed every checksum, so they are independent golden vectors.
namespace Patchbay.Packets.Tests;

internal static class CapturedFrames
{
    public static byte[] EchoRequest { get; } = Convert.FromHexString(
        "00000000000000000000000008004500002cc065400040017c697f00" +
        "00017f000001080065272a9c0001b302046b00000000b0cd000000000000");

    public static byte[] EchoReply { get; } = Convert.FromHexString(
        "00000000000000000000000008004500002cc06600004001bc687f00" +
        "00017f00000100006d272a9c0001b302046b00000000b0cd000000000000");

    /// <summary>The IPv4 header of the Wikipedia "IPv4 header checksum" example; its checksum is 0xb861.</summary>
    public static byte[] WikipediaIpv4Header { get; } = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
}
