// Every 1.3 action against its spec layout (7.2.5), both directions, and every length rule a decoder enforces.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Tests.Actions;

public class OfpActionTests
{
    public static TheoryData<string, OfpAction, string> Layouts => new()
    {
        { "output", new OutputAction(1, OfpControllerMaxLen.Max), "0000001000000001ffe5000000000000" },
        { "output to controller", new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer), "00000010fffffffdffff000000000000" },
        { "copy_ttl_out", new CopyTtlOutAction(), "000b000800000000" },
        { "copy_ttl_in", new CopyTtlInAction(), "000c000800000000" },
        { "set_mpls_ttl", new SetMplsTtlAction(64), "000f000840000000" },
        { "dec_mpls_ttl", new DecMplsTtlAction(), "0010000800000000" },
        { "push_vlan", new PushVlanAction(0x8100), "0011000881000000" },
        { "pop_vlan", new PopVlanAction(), "0012000800000000" },
        { "push_mpls", new PushMplsAction(0x8847), "0013000888470000" },
        { "pop_mpls", new PopMplsAction(0x0800), "0014000808000000" },
        { "set_queue", new SetQueueAction(3), "0015000800000003" },
        { "group", new GroupAction(0x01020304), "0016000801020304" },
        { "set_nw_ttl", new SetNwTtlAction(9), "0017000809000000" },
        { "dec_nw_ttl", new DecNwTtlAction(), "0018000800000000" },
        { "set_field vlan_vid", new SetFieldAction(Oxm.VlanVid(Oxm.VlanPresent | 5)), "0019001080000c021005000000000000" },
        { "set_field ipv4_dst", new SetFieldAction(Oxm.Ipv4Dst(System.Net.IPAddress.Parse("10.0.0.1"))), "00190010800018040a00000100000000" },
        { "set_field eth_dst", new SetFieldAction(Oxm.EthDst([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])), "0019001080000606aabbccddeeff0000" },
        { "set_field ipv6_src", new SetFieldAction(Oxm.Ipv6Src(System.Net.IPAddress.Parse("fe80::1"))), "0019001880003410fe800000000000000000000000000001" },
        { "push_pbb", new PushPbbAction(0x88e7), "001a000888e70000" },
        { "pop_pbb", new PopPbbAction(), "001b000800000000" },
        { "experimenter", new ExperimenterAction(ExperimenterAction.Nicira, new byte[] { 0, 0x26, 0, 0, 0, 0, 0, 0 }), "ffff0010000023200026000000000000" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Write_EachAction_MatchesSpecLayout(string name, OfpAction action, string hex)
    {
        byte[] bytes = WireCodec.Encode(action);

        Assert.True(hex.Equals(Convert.ToHexStringLower(bytes), StringComparison.Ordinal), $"{name}: expected {hex}, wrote {Convert.ToHexStringLower(bytes)}");
        Assert.Equal(0, bytes.Length % 8);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_EachActionLayout_DecodesToTheSameAction(string name, OfpAction action, string hex)
    {
        OfpAction decoded = WireCodec.DecodeAction(Convert.FromHexString(hex));

        Assert.True(action.Equals(decoded), $"{name}: decoded {decoded}, expected {action}");
        Assert.Equal(action.GetHashCode(), decoded.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Read_EveryStrictPrefixOfEachAction_ThrowsBadActionLength(string name, OfpAction action, string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);

        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            ProtocolErrorReason reason = WireCodec.ReasonOf(() =>
            {
                var reader = new WireReader(prefix);
                OfpAction.Read(ref reader);
            });

            Assert.True(reason == ProtocolErrorReason.BadActionLength, $"{name} ({action.ActionType}) cut to {length} bytes: {reason}");
        }
    }

    [Fact]
    public void FixedSize_EveryFixedAction_EqualsItsSizeConstant()
    {
        Assert.Equal(OutputAction.Size, OfpAction.FixedSize(OfpActionType.Output));
        Assert.Equal(PopVlanAction.Size, OfpAction.FixedSize(OfpActionType.PopVlan));
        Assert.Equal(GroupAction.Size, OfpAction.FixedSize(OfpActionType.Group));
        Assert.Equal(0, OfpAction.FixedSize(OfpActionType.SetField));
        Assert.Equal(0, OfpAction.FixedSize(OfpActionType.Experimenter));
        Assert.Equal(0, OfpAction.FixedSize((OfpActionType)5));
    }

    [Fact]
    public void Read_NiciraCtActionFromOvs_KeepsEveryByte()
    {
        // ct(commit=0, zone=reg0[4..31], table=4) as ovs-ofctl encodes it (golden vector action_ct).
        byte[] bytes = Convert.FromHexString("ffff0018" + "00002320" + "0023" + "0000" + "00010004" + "011b0400" + "00000000");

        var action = Assert.IsType<ExperimenterAction>(WireCodec.DecodeAction(bytes));

        Assert.Equal(ExperimenterAction.Nicira, action.Experimenter);
        Assert.Equal(0x0023, (action.Data.Span[0] << 8) | action.Data.Span[1]);
        Assert.Equal(bytes, WireCodec.Encode(action));
    }

    [Fact]
    public void Read_SetFieldWithNiciraOxm_KeepsTheFieldOpaque()
    {
        // set_field to NXM_NX_REG0 (class 0x0001, field 0, 4 bytes): 4 + 8 = 12, padded to 16.
        byte[] bytes = Convert.FromHexString("0019001000010004deadbeef00000000");

        var action = Assert.IsType<SetFieldAction>(WireCodec.DecodeAction(bytes));

        Assert.Equal(OxmClass.Nxm1, action.Field.Class);
        Assert.Equal(0xdeadbeefu, action.Field.ValueAsUInt32());
        Assert.Equal(bytes, WireCodec.Encode(action));
    }

    [Fact]
    public void Read_ActionFollowedByMore_ConsumesOnlyItsOwnLength()
    {
        byte[] bytes = Convert.FromHexString("0012000800000000" + "0016000800000007");
        var reader = new WireReader(bytes);

        OfpAction first = OfpAction.Read(ref reader);

        Assert.Equal(new PopVlanAction(), first);
        Assert.Equal(8, reader.Position);
    }

    [Fact]
    public void Equals_ExperimenterActionsWithEqualBytesInDifferentArrays_AreEqual()
    {
        var left = new ExperimenterAction(7, new byte[] { 1, 2, 3, 4 });
        var right = new ExperimenterAction(7, new byte[] { 1, 2, 3, 4 });
        var other = new ExperimenterAction(7, new byte[] { 1, 2, 3, 5 });

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, other);
    }

    [Fact]
    public void Write_ExperimenterDataNotPadded_Throws()
    {
        var action = new ExperimenterAction(7, new byte[] { 1, 2, 3 });

        Assert.Throws<InvalidOperationException>(() => WireCodec.Encode(action));
    }

    public static TheoryData<string, string, ProtocolErrorReason> Malformed => new()
    {
        { "header cut short", "0000", ProtocolErrorReason.BadActionLength },
        { "len 0", "0000000000000000", ProtocolErrorReason.BadActionLength },
        { "len 4", "0012000400000000", ProtocolErrorReason.BadActionLength },
        { "len 12, not a multiple of 8", "0012000c000000000000000000000000", ProtocolErrorReason.BadActionLength },
        { "len beyond the list", "0012001000000000", ProtocolErrorReason.BadActionLength },
        { "output with len 24", "0000001800000001ffe5000000000000" + "0000000000000000", ProtocolErrorReason.BadActionLength },
        { "output with len 8", "0000000800000001", ProtocolErrorReason.BadActionLength },
        { "pop_vlan with len 16", "00120010000000000000000000000000", ProtocolErrorReason.BadActionLength },
        { "set_field len larger than its OXM needs", "0019001880000c021005000000000000" + "0000000000000000", ProtocolErrorReason.BadActionLength },
        { "set_field OXM beyond the action", "0019000880000c02", ProtocolErrorReason.BadOxmLength },
        { "set_field basic OXM of the wrong size", "00190010800000020001000000000000", ProtocolErrorReason.BadOxmLength },
        { "type 1.3 does not define", "0005000800000000", ProtocolErrorReason.BadValue },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedAction_ThrowsWithReason(string name, string hex, ProtocolErrorReason reason)
    {
        byte[] bytes = Convert.FromHexString(hex);

        ProtocolErrorReason actual = WireCodec.ReasonOf(() =>
        {
            var reader = new WireReader(bytes);
            OfpAction.Read(ref reader);
        });

        Assert.True(reason == actual, $"{name}: expected {reason}, got {actual}");
    }
}
