// The generator counts what the controller answered, no more and no less: a responder that answers every
// other PACKET_IN must be credited with exactly half, the rest counted lost, one latency sample per answer.
namespace Patchbay.LoadGen.Tests;

public sealed class LoadRunTests
{
    private const int Switches = 3;

    // An unanswered PACKET_IN holds its window slot for the whole response timeout, so a window of 1 sends fewer.
    // The timeout is a second, not less: an answer that a loaded machine delays past it counts lost and then
    // unmatched, and every exact count below would be off.
    [Theory]
    [InlineData(AnswerStyle.BufferedPacketOut, 8, false, 40)]
    [InlineData(AnswerStyle.BufferedPacketOut, 1, false, 8)]
    [InlineData(AnswerStyle.UnbufferedPacketOut, 8, true, 40)]
    [InlineData(AnswerStyle.FlowModThenDuplicate, 8, false, 40)]
    public async Task RunAsync_ResponderAnswersEveryOther_CountsHalfAnsweredHalfLost(AnswerStyle style, int window, bool unbuffered, long perSwitch)
    {
        await using var responder = new HalfResponder(style);
        var options = new LoadOptions
        {
            Controller = responder.Start(),
            Label = "half",
            Switches = Switches,
            Window = window,
            Count = perSwitch,
            ResponseTimeout = TimeSpan.FromSeconds(1),
            SetupTimeout = TimeSpan.FromSeconds(20),
        };

        LoadReport report = await new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None);

        Assert.Equal(Switches * perSwitch, responder.PacketIns);
        Assert.Equal(Switches * perSwitch, report.Sent);
        Assert.Equal(Switches * perSwitch / 2, report.Answered);
        Assert.Equal(Switches * perSwitch / 2, report.Lost);
        Assert.Equal(Enumerable.Repeat(perSwitch / 2, Switches), report.AnsweredPerSwitch);
        LoopReport loop = Assert.Single(report.Loops);
        Assert.Equal(Switches * perSwitch / 2, loop.Responses);
        Assert.Equal(1.0, loop.Fairness, 6);
        Assert.InRange(report.P50Microseconds, 0.001, report.P99Microseconds);
        Assert.Equal(style == AnswerStyle.FlowModThenDuplicate ? Switches * perSwitch / 2 : 0, report.Unmatched);
        Assert.Equal(unbuffered, report.Unbuffered);
        Assert.Equal(0, report.Errors);
    }

    [Fact]
    public async Task RunAsync_NoController_FailsToConnect()
    {
        await using var responder = new HalfResponder(AnswerStyle.BufferedPacketOut);
        var endpoint = responder.Start();
        await responder.DisposeAsync();
        var options = new LoadOptions { Controller = endpoint, Switches = 1, Count = 1 };

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => new LoadRun(options, TextWriter.Null).RunAsync(CancellationToken.None));
    }

    [Fact]
    public void Validate_ControllerOffLoopback_Refused()
    {
        var options = new LoadOptions { Controller = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 6653) };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
