// The hand-written HTTP/1.1 exchange with the agent: answers with Content-Length, chunked, or cut short, and a
// listener that hangs up without answering.
using System.Net.Sockets;
using System.Text;

namespace Patchbay.Cni.Tests;

public sealed class AgentClientTests
{
    [Fact]
    public void Parse_ContentLength_ReturnsStatusAndBody()
    {
        (int status, byte[] body) = AgentClient.Parse(Bytes("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Type: application/json\r\n\r\n{\"a\":1}"));

        Assert.Equal((200, "{\"a\":1}"), (status, Encoding.ASCII.GetString(body)));
    }

    [Fact]
    public void Parse_Chunked_JoinsTheChunks()
    {
        (int status, byte[] body) = AgentClient.Parse(Bytes("HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"ti\r\n9;ext=1\r\ntle\":\"x\"}\r\n0\r\n\r\n"));

        Assert.Equal((409, "{\"title\":\"x\"}"), (status, Encoding.ASCII.GetString(body)));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3")]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort")]
    public void Parse_IncompleteOrNotHttp_IsUnavailable(string response)
    {
        Assert.Throws<AgentUnavailableException>(() => AgentClient.Parse(Bytes(response)));
    }

    [Fact]
    public async Task Run_AgentHangsUpWithoutAnswer_IsTryAgainLater()
    {
        string path = Path.Combine(Path.GetTempPath(), "pbcni-hangup-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        Task hangUp = Task.Run(async () =>
        {
            using Socket accepted = await listener.AcceptAsync();
            accepted.Shutdown(SocketShutdown.Both);
        });
        string netns = Path.GetTempFileName();
        try
        {
            CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", netns), CniHarness.Config(path));

            Assert.Equal(CniErrorCode.TryAgainLater, run.ErrorCode);
            await hangUp;
        }
        finally
        {
            File.Delete(path);
            File.Delete(netns);
        }
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
