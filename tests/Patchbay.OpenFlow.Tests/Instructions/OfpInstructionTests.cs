// Every 1.3 instruction against its spec layout (7.2.4), both directions, and every length rule a decoder
// enforces, including those of the action lists nested inside write-actions and apply-actions.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Instructions;

public class OfpInstructionTests
{
    public static TheoryData<string, OfpInstruction, string> Layouts => new()
    {
        { "goto_table", new GotoTableInstruction(20), "0001000814000000" },
        { "write_metadata", new WriteMetadataInstruction(0x0102030405060708, 0xffff0000ffff0000), "00020018000000000102030405060708ffff0000ffff0000" },
        { "write_actions", new WriteActionsInstruction([new OutputAction(2, 0)]), "0003001800000000" + "00000010000000020000000000000000" },
        { "apply_actions", new ApplyActionsInstruction([new PopVlanAction(), new GroupAction(1)]), "0004001800000000" + "0012000800000000" + "0016000800000001" },
        { "apply_actions, empty", new ApplyActionsInstruction([]), "0004000800000000" },
        { "clear_actions", new ClearActionsInstruction(), "0005000800000000" },
        { "meter", new MeterInstruction(5), "0006000800000005" },
        { "experimenter", new ExperimenterInstruction(0x00002320, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }), "ffff0010000023200102030405060708" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Write_EachInstruction_MatchesSpecLayout(string name, OfpInstruction instruction, string hex)
    {
        string written = Convert.ToHexStringLower(WireCodec.Encode(instruction));

        Assert.True(hex.Equals(written, StringComparison.Ordinal), $"{name}: expected {hex}, wrote {written}");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_EachInstructionLayout_DecodesToTheSameInstruction(string name, OfpInstruction instruction, string hex)
    {
        OfpInstruction decoded = WireCodec.DecodeInstruction(Convert.FromHexString(hex));

        Assert.True(instruction.Equals(decoded), $"{name}: decoded {decoded}, expected {instruction}");
        Assert.Equal(instruction.GetHashCode(), decoded.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_EveryStrictPrefixOfEachInstruction_ThrowsBadInstructionLength(string name, OfpInstruction instruction, string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
            {
                var reader = new WireReader(prefix);
                OfpInstruction.Read(ref reader);
            });

            Assert.True(reason == ProtocolErrorReason.BadInstructionLength, $"{name} ({instruction.InstructionType}) cut to {length} bytes: {reason}");
        }
    }

    [Fact]
    public void Size_FixedInstructions_MatchTheSpec()
    {
        Assert.Equal(8, OfpInstruction.FixedSize(OfpInstructionType.GotoTable));
        Assert.Equal(24, OfpInstruction.FixedSize(OfpInstructionType.WriteMetadata));
        Assert.Equal(8, OfpInstruction.FixedSize(OfpInstructionType.ClearActions));
        Assert.Equal(8, OfpInstruction.FixedSize(OfpInstructionType.Meter));
        Assert.Equal(0, OfpInstruction.FixedSize(OfpInstructionType.ApplyActions));
        Assert.Equal(0, OfpInstruction.FixedSize(OfpInstructionType.Experimenter));
    }

    [Fact]
    public void Equals_ApplyActionsWithDifferentActions_AreNotEqual()
    {
        var output1 = new ApplyActionsInstruction([new OutputAction(1, 0)]);
        var output2 = new ApplyActionsInstruction([new OutputAction(2, 0)]);
        var writeOutput1 = new WriteActionsInstruction([new OutputAction(1, 0)]);

        Assert.NotEqual<OfpInstruction>(output1, output2);
        Assert.NotEqual<OfpInstruction>(output1, writeOutput1);
        Assert.Equal(output1, new ApplyActionsInstruction(new List<OfpAction> { new OutputAction(1, 0) }));
    }

    [Fact]
    public void ToString_ApplyActions_ListsTheActions()
    {
        string text = new ApplyActionsInstruction([new OutputAction(7, 0), new ExperimenterAction(0x2320, new byte[] { 0xab, 0, 0, 0 })]).ToString();

        Assert.Contains("Port = 7", text, StringComparison.Ordinal);
        Assert.Contains("Data = ab000000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ApplyActionsFromOvsCtVector_RoundTripsByteExact()
    {
        // The instruction of golden vector ovs-ofctl-of13-action_ct: apply_actions(ct(...)).
        byte[] bytes = Convert.FromHexString("0004002000000000" + "ffff0018000023200023000000010004" + "011b040000000000");

        var instruction = Assert.IsType<ApplyActionsInstruction>(WireCodec.DecodeInstruction(bytes));

        Assert.IsType<ExperimenterAction>(Assert.Single(instruction.Actions));
        Assert.Equal(bytes, WireCodec.Encode(instruction));
    }

    public static TheoryData<string, string, ProtocolErrorReason> Malformed => new()
    {
        { "header cut short", "000100", ProtocolErrorReason.BadInstructionLength },
        { "len 0", "0001000014000000", ProtocolErrorReason.BadInstructionLength },
        { "len 4", "0005000400000000", ProtocolErrorReason.BadInstructionLength },
        { "len 12, not a multiple of 8", "0004000c00000000" + "0000000000000000", ProtocolErrorReason.BadInstructionLength },
        { "len beyond the list", "0004001800000000" + "0012000800000000", ProtocolErrorReason.BadInstructionLength },
        { "goto_table with len 16", "0001001014000000" + "0000000000000000", ProtocolErrorReason.BadInstructionLength },
        { "write_metadata with len 16", "0002001000000000" + "0102030405060708", ProtocolErrorReason.BadInstructionLength },
        { "meter with len 16", "0006001000000005" + "0000000000000000", ProtocolErrorReason.BadInstructionLength },
        { "nested output overflows apply_actions", "0004001000000000" + "0000001000000001" + "ffe5000000000000", ProtocolErrorReason.BadActionLength },
        { "nested action len 12 in write_actions", "0003001800000000" + "0012000c00000000" + "0000000000000000", ProtocolErrorReason.BadActionLength },
        { "nested action of unknown type", "0004001000000000" + "0005000800000000", ProtocolErrorReason.BadValue },
        { "type 1.3 does not define", "0007000800000000", ProtocolErrorReason.BadValue },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedInstruction_ThrowsWithReason(string name, string hex, ProtocolErrorReason reason)
    {
        byte[] bytes = Convert.FromHexString(hex);

        ProtocolErrorReason actual = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            OfpInstruction.Read(ref reader);
        });

        Assert.True(reason == actual, $"{name}: expected {reason}, got {actual}");
    }
}
