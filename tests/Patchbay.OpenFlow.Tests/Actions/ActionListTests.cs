// Action lists: they fill exactly their declared length, in both directions, and any input either
// decodes or fails with the one protocol exception.
using FsCheck.Xunit;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Actions;

public class ActionListTests
{
    private static readonly OfpAction[] Sample =
    [
        new PushVlanAction(0x8100),
        new SetFieldAction(Oxm.VlanVid(Oxm.VlanPresent | 10)),
        new SetFieldAction(Oxm.EthDst([2, 0, 0, 0, 0, 1])),
        new OutputAction(3, 0),
        new ExperimenterAction(ExperimenterAction.Nicira, new byte[8]),
    ];

    [Fact]
    public void Length_SampleList_IsTheSumOfItsActions()
    {
        Assert.Equal(8 + 16 + 16 + 16 + 16, ActionList.Length(Sample));
    }

    [Fact]
    public void Read_WrittenList_ReturnsEqualActionsAndStopsAtLength()
    {
        int length = ActionList.Length(Sample);
        var bytes = new byte[length + 8];
        var writer = new WireWriter(bytes);
        ActionList.Write(ref writer, Sample);
        var reader = new WireReader(bytes);

        IReadOnlyList<OfpAction> decoded = ActionList.Read(ref reader, length);

        Assert.Equal(Sample, decoded);
        Assert.Equal(length, reader.Position);
    }

    [Fact]
    public void Read_ZeroLength_ReturnsEmptyList()
    {
        var reader = new WireReader(new byte[8]);

        Assert.Empty(ActionList.Read(ref reader, 0));
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void Read_ActionsDoNotTileLength_ThrowsBadActionLength()
    {
        // A pop_vlan then 4 stray bytes inside a 12-byte list.
        byte[] bytes = Convert.FromHexString("001200080000000000000000");

        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            ActionList.Read(ref reader, 12);
        });

        Assert.Equal(ProtocolErrorReason.BadActionLength, reason);
    }

    [Fact]
    public void Read_ActionCrossesListEnd_ThrowsBadActionLength()
    {
        // The output action is whole in the buffer, but the list declares only its first 8 bytes.
        byte[] bytes = Convert.FromHexString("0000001000000001ffe5000000000000");

        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            ActionList.Read(ref reader, 8);
        });

        Assert.Equal(ProtocolErrorReason.BadActionLength, reason);
    }

    [Fact]
    public void Read_LengthBeyondReader_ThrowsBadActionLength()
    {
        ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(new byte[8]);
            ActionList.Read(ref reader, 16);
        });

        Assert.Equal(ProtocolErrorReason.BadActionLength, reason);
    }

    [Property]
    public void Read_OutputAction_AnyPortAndMaxLen_RoundTrips(uint port, ushort maxLen)
    {
        var action = new OutputAction(port, maxLen);

        Assert.Equal(action, WireCodec.DecodeAction(WireCodec.Encode(action)));
    }

    [Property]
    public void Read_ArbitraryBytes_DecodesOrThrowsProtocolException(byte[] bytes)
    {
        try
        {
            var reader = new WireReader(bytes);
            IReadOnlyList<OfpAction> actions = ActionList.Read(ref reader, bytes.Length);
            Assert.Equal(bytes.Length, ActionList.Length(actions));
        }
        catch (OpenFlowProtocolException)
        {
            // Malformed input is allowed to fail, but only this way.
        }
    }

    [Property]
    public void Read_SampleListWithOneByteChanged_DecodesToSameLengthOrThrowsProtocolException(byte index, byte value)
    {
        int length = ActionList.Length(Sample);
        var bytes = new byte[length];
        var writer = new WireWriter(bytes);
        ActionList.Write(ref writer, Sample);
        bytes[index % length] = value;

        try
        {
            var reader = new WireReader(bytes);
            IReadOnlyList<OfpAction> actions = ActionList.Read(ref reader, length);
            Assert.Equal(length, ActionList.Length(actions));
        }
        catch (OpenFlowProtocolException)
        {
            // A corrupted length or type must be reported, never read past or misframed.
        }
    }
}
