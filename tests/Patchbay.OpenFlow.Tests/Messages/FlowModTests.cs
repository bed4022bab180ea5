// OFPT_FLOW_MOD: the 56-byte fixed part, os-ken and OVS vectors byte for byte, nested lengths that
// overrun (the encoder's zero allocation is measured in bench/).
using System.Net;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;
using Patchbay.OpenFlow.Wire;
using Patchbay.Testing.Bytes;

namespace Patchbay.OpenFlow.Tests.Messages;

public class FlowModTests
{
    // 4-46: match (length 14, padded 16) at 48, meter instruction at 64 (len at 66), write-actions at 72
    // whose output action starts at 80 (len at 82).
    private const string MeterVector = "4-46-ofp_flow_mod.packet";
    private const int MatchLengthOffset = 50;
    private const int FirstInstructionLenOffset = 66;
    private const int NestedActionLenOffset = 82;

    /// <summary>A conversation flow as the planner emits them: 6 OXM fields, 4 actions.</summary>
    public static FlowMod ConversationFlow() => new()
    {
        Cookie = 0x0100_0000_0000_002a,
        TableId = 20,
        IdleTimeout = 10,
        Priority = 1000,
        Flags = FlowModFlags.SendFlowRem,
        Match = new OfpMatch(
        [
            Oxm.InPort(3),
            Oxm.EthType(0x0800),
            Oxm.Ipv4Src(IPAddress.Parse("10.0.0.1")),
            Oxm.Ipv4Dst(IPAddress.Parse("10.0.1.2")),
            Oxm.IpProto(6),
            Oxm.TcpDst(80),
        ]),
        Instructions =
        [
            new ApplyActionsInstruction(
            [
                new SetFieldAction(Oxm.EthSrc([0x02, 0, 0, 0, 0, 1])),
                new SetFieldAction(Oxm.EthDst([0x02, 0, 0, 0, 0, 2])),
                new DecNwTtlAction(),
                new OutputAction(7),
            ]),
        ],
    };

    [Fact]
    public void Encode_EmptyFlowMod_WritesExactlySizeBytes()
    {
        byte[] bytes = new FlowMod().ToBytes();

        Assert.Equal(56, FlowMod.Size);
        Assert.Equal(FlowMod.Size, bytes.Length);
    }

    [Fact]
    public void Encode_Defaults_AreNoBufferAnyPortAnyGroupDefaultPriority()
    {
        byte[] bytes = new FlowMod { Xid = 1 }.ToBytes();

        Assert.Equal(
            "040E0038" + "00000001" + "0000000000000000" + "0000000000000000" + "00" + "00" + "0000" + "0000" + "8000"
            + "FFFFFFFF" + "FFFFFFFF" + "FFFFFFFF" + "0000" + "0000" + "00010004" + "00000000",
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void RoundTrip_ConversationFlow_EqualsOriginal()
    {
        FlowMod message = ConversationFlow() with { Xid = 99 };

        FlowMod decoded = MessageKit.RoundTrip(message);

        Assert.Equal(message.Match, decoded.Match);
        Assert.Equal(message.Instructions, decoded.Instructions);
    }

    [Fact]
    public void Equals_DifferentInstruction_NotEqual()
    {
        FlowMod other = ConversationFlow() with { Instructions = [new GotoTableInstruction(30)] };

        Assert.NotEqual(ConversationFlow(), other);
    }

    [Fact]
    public void DeleteByCookie_CookieAndMask_DeletesInAllTablesForAnyPortAndGroup()
    {
        byte[] bytes = FlowMod.DeleteByCookie(0x0100_0000_0000_002a, 0xff00_0000_ffff_ffff).ToBytes();

        Assert.Equal("010000000000002A" + "FF000000FFFFFFFF", Convert.ToHexString(bytes, 8, 16));
        Assert.Equal("FF" + "03", Convert.ToHexString(bytes, 24, 2));
        Assert.Equal("FFFFFFFF" + "FFFFFFFF", Convert.ToHexString(bytes, 36, 8));
        Assert.Equal(FlowMod.Size, bytes.Length);
    }

    [Fact]
    public void Encode_ConversationFlow_BackFillsMatchInstructionAndActionLengths()
    {
        byte[] bytes = ConversationFlow().ToBytes();

        // Match at 48: 4 + 8 + 6 + 8 + 8 + 5 + 6 = 45 bytes, padded to 48; apply-actions at 96: 8 + 16 + 16 + 8 + 16.
        Assert.Equal(160, bytes.Length);
        Assert.Equal("0001" + "002D", Convert.ToHexString(bytes, 48, 4));
        Assert.Equal("000000", Convert.ToHexString(bytes, 48 + 45, 3));
        Assert.Equal("0004" + "0040", Convert.ToHexString(bytes, 96, 4));
        Assert.Equal("0019" + "0010", Convert.ToHexString(bytes, 104, 4));
        Assert.Equal("0018" + "0008", Convert.ToHexString(bytes, 136, 4));
        Assert.Equal("0000" + "0010", Convert.ToHexString(bytes, 144, 4));
    }

    [Fact]
    public void Encode_PartsInArraysListsOrCollectionExpressions_SameBytes()
    {
        FlowMod flow = ConversationFlow();
        var apply = (ApplyActionsInstruction)flow.Instructions[0];
        FlowMod arrays = flow with
        {
            Match = new OfpMatch(flow.Match.Fields.ToArray()),
            Instructions = new OfpInstruction[] { new ApplyActionsInstruction(apply.Actions.ToArray()) },
        };
        FlowMod lists = flow with
        {
            Match = new OfpMatch(flow.Match.Fields.ToList()),
            Instructions = new List<OfpInstruction> { new ApplyActionsInstruction(apply.Actions.ToList()) },
        };

        byte[] expected = flow.ToBytes();

        ByteAssert.Identical(expected, arrays.ToBytes(), "arrays");
        ByteAssert.Identical(expected, lists.ToBytes(), "lists");
        Assert.Equal(expected.Length, arrays.Length);
        Assert.Equal(expected.Length, lists.Length);
    }

    [Fact]
    public void Encode_ActionWritingFewerBytesThanItsLength_Throws()
    {
        FlowMod flow = ConversationFlow() with { Instructions = [new ApplyActionsInstruction([new ShortAction(), new OutputAction(1)])] };

        var e = Assert.Throws<InvalidOperationException>(() => flow.ToBytes());
        Assert.Contains("declared 136 bytes but wrote 128", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_GotoTableVector_FieldsMatchJson()
    {
        FlowMod message = MessageKit.Vector<FlowMod>("4-3-ofp_flow_mod.packet");

        Assert.Equal(0, message.TableId);
        Assert.Equal(FlowModCommand.Add, message.Command);
        Assert.Equal(123, message.Priority);
        Assert.Equal(65535u, message.BufferId);
        Assert.Equal(OfpPortNo.Any, message.OutPort);
        Assert.Equal(OfpGroupId.Any, message.OutGroup);
        Assert.Equal(22, message.Match.Length);
        Assert.Equal(Oxm.InPort(6), message.Match.Fields[0]);
        Assert.Equal(new GotoTableInstruction(1), Assert.Single(message.Instructions));
    }

    [Fact]
    public void Decode_MeterVector_FieldsMatchJson()
    {
        FlowMod message = MessageKit.Vector<FlowMod>(MeterVector);

        Assert.Equal(1, message.TableId);
        Assert.Collection(
            message.Instructions,
            i => Assert.Equal(new MeterInstruction(1), i),
            i => Assert.Equal(new WriteActionsInstruction([new OutputAction(6, 0xffff)]), i));
    }

    [Theory]
    [InlineData("4-2-ofp_flow_mod.packet")]
    [InlineData("4-60-ofp_flow_mod.packet")]
    [InlineData("libofproto-OFP13-flow_mod.packet")]
    [InlineData("libofproto-OFP13-flow_mod_conjunction.packet")]
    [InlineData("libofproto-OFP13-flow_mod_match_conj.packet")]
    public void Decode_VectorWithExperimenterParts_ReencodesIdentically(string vector)
    {
        MessageKit.Vector<FlowMod>(vector);
    }

    [Fact]
    public void Decode_OvsVector_FieldsMatchJson()
    {
        FlowMod message = MessageKit.Vector<FlowMod>("libofproto-OFP13-flow_mod.packet");

        Assert.Equal(1311768467463790320ul, message.Cookie);
        Assert.Equal(ulong.MaxValue, message.CookieMask);
        Assert.Equal(2, message.TableId);
        Assert.Equal(0u, message.BufferId);
        Assert.Equal(70, message.Match.Length);
        Assert.Equal(new GotoTableInstruction(100), message.Instructions[1]);
    }

    [Fact]
    public void Decode_ShorterThanFixedPart_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector(MeterVector)[..48]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0x60)]
    [InlineData(2)]
    public void Decode_MatchLengthOutsideMessage_ThrowsBadMatchLength(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(MeterVector), MatchLengthOffset, length);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_InstructionLenOverrunsMessage_ThrowsBadInstructionLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(MeterVector), FirstInstructionLenOffset, 0x40);

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ActionLenOverrunsInstruction_ThrowsBadActionLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(MeterVector), NestedActionLenOffset, 0x20);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    // Declares 16 bytes and writes 8: the message's total no longer matches what it declared.
    private sealed record ShortAction : OfpAction
    {
        public override OfpActionType ActionType => OfpActionType.Output;

        public override int Length => OutputAction.Size;

        protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
    }
}
