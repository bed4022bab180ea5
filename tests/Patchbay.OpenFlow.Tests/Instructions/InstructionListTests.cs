// Instruction lists fill exactly the length the enclosing flow-mod or flow-stats entry leaves for them.
using FsCheck.Xunit;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Instructions;

public class InstructionListTests
{
    private static readonly OfpInstruction[] Sample =
    [
        new MeterInstruction(1),
        new ApplyActionsInstruction([new SetFieldAction(Oxm.Ipv4Dst(System.Net.IPAddress.Parse("10.0.0.2"))), new OutputAction(4, 0)]),
        new WriteMetadataInstruction(7, 0xff),
        new GotoTableInstruction(30),
    ];

    [Fact]
    public void Read_WrittenList_ReturnsEqualInstructionsAndStopsAtLength()
    {
        int length = InstructionList.Length(Sample);
        var bytes = new byte[length + 8];
        var writer = new WireWriter(bytes);
        InstructionList.Write(ref writer, Sample);
        var reader = new WireReader(bytes);

        IReadOnlyList<OfpInstruction> decoded = InstructionList.Read(ref reader, length);

        Assert.Equal(8 + (8 + 16 + 16) + 24 + 8, length);
        Assert.Equal(Sample, decoded);
        Assert.Equal(length, reader.Position);
    }

    [Fact]
    public void Read_InstructionsDoNotTileLength_ThrowsBadInstructionLength()
    {
        byte[] bytes = Convert.FromHexString("000100081400000000000000");

        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            InstructionList.Read(ref reader, 12);
        });

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, reason);
    }

    [Fact]
    public void Read_InstructionCrossesListEnd_ThrowsBadInstructionLength()
    {
        byte[] bytes = Convert.FromHexString("00020018000000000102030405060708ffff0000ffff0000");

        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            InstructionList.Read(ref reader, 16);
        });

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, reason);
    }

    [Fact]
    public void Read_LengthBeyondReader_ThrowsBadInstructionLength()
    {
        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(new byte[8]);
            InstructionList.Read(ref reader, 16);
        });

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, reason);
    }

    [Property]
    public void Read_SampleListWithOneByteChanged_DecodesToSameLengthOrThrowsProtocolException(byte index, byte value)
    {
        int length = InstructionList.Length(Sample);
        var bytes = new byte[length];
        var writer = new WireWriter(bytes);
        InstructionList.Write(ref writer, Sample);
        bytes[index % length] = value;

        try
        {
            var reader = new WireReader(bytes);
            IReadOnlyList<OfpInstruction> instructions = InstructionList.Read(ref reader, length);
            Assert.Equal(length, InstructionList.Length(instructions));
        }
        catch (OpenFlowProtocolException)
        {
            // A corrupted length or type must be reported, never read past or misframed.
        }
    }

    [Property]
    public void Read_WriteMetadata_AnyValueAndMask_RoundTrips(ulong metadata, ulong mask)
    {
        var instruction = new WriteMetadataInstruction(metadata, mask);

        Assert.Equal(instruction, WireCodec.DecodeInstruction(WireCodec.Encode(instruction)));
    }
}
