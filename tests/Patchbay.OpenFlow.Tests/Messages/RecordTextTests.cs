// ToString of message records names list elements and shows bytes, so logs and failed assertions are readable.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Tests.Messages;

public class RecordTextTests
{
    [Fact]
    public void ToString_FlowMod_ShowsInstructionsAndHexCookie()
    {
        string text = new FlowMod { Cookie = 0x2a, Instructions = [new GotoTableInstruction(30)] }.ToString();

        Assert.Contains("Cookie = 0x2a", text, StringComparison.Ordinal);
        Assert.Contains("Instructions = [GotoTableInstruction", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_PacketInWithLargeFrame_ShowsFirst64BytesAndSize()
    {
        byte[] frame = [.. Enumerable.Repeat((byte)0xab, 100)];

        string text = new PacketIn(1, 100, PacketInReason.NoMatch, 0, 0, OfpMatch.Empty, frame).ToString();

        Assert.Contains("Data = " + string.Concat(Enumerable.Repeat("ab", 64)) + "... (100 bytes)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_GroupMod_ShowsBucketsAndTheirActions()
    {
        string text = new GroupMod(GroupModCommand.Add, GroupType.All, 1, [new Bucket([new OutputAction(2)])]).ToString();

        Assert.Contains("Buckets = [Bucket { Weight = 0", text, StringComparison.Ordinal);
        Assert.Contains("Actions = [OutputAction", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_QueueReply_ShowsExperimenterDataAsHex()
    {
        var reply = new QueueGetConfigReply(1, [new PacketQueue(2, 1, [new ExperimenterQueueProperty(0x2320, new byte[] { 1, 2 })])]);

        Assert.Contains("Experimenter = 0x00002320, Data = 0102", reply.ToString(), StringComparison.Ordinal);
    }
}
