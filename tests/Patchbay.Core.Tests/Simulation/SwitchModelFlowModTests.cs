// FLOW_MOD semantics asserted through forwarding: after each change, where does a packet go?
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Simulation;

public class SwitchModelFlowModTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly Ipv4Address IpA = Ipv4Address.Parse("10.0.0.10");
    private static readonly Ipv4Address IpB = Ipv4Address.Parse("10.0.0.11");
    private static readonly byte[] Ping = FrameBuilder.IcmpEcho(new FrameAddresses(MacA, MacB, IpA, IpB), 1, 1, new byte[8]);

    [Fact]
    public void Evaluate_TwoMatchingFlows_HigherPriorityDecides()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(0, 20, [Oxm.InPort(1), Flows.IsIpv4], Flows.Apply(Flows.Output(3))));
        model.Apply(Flows.Add(0, 5, [], Flows.Apply(Flows.Output(4))));

        Assert.Equal(3u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(2u, model.Evaluate(1, ArpPacket.BuildRequest(MacA, IpA, IpB)).SingleOutput.Port);
        Assert.Equal(4u, model.Evaluate(7, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Apply_AddSameMatchAndPriorityInOtherOrder_ReplacesAndKeepsCounters()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1), Flows.IsIpv4], Flows.Apply(Flows.Output(2))));
        model.Evaluate(1, Ping);

        model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.InPort(1)], Flows.Apply(Flows.Output(3))));

        Assert.Equal(3u, model.Evaluate(1, Ping).SingleOutput.Port);
        FlowEntry flow = Assert.Single(model.DumpFlows());
        Assert.Equal(2u, flow.PacketCount);
    }

    [Fact]
    public void Apply_AddWithResetCounts_ZeroesCounters()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));
        model.Evaluate(1, Ping);

        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))) with { Flags = FlowModFlags.ResetCounts });

        Assert.Equal(0u, Assert.Single(model.DumpFlows()).PacketCount);
    }

    [Fact]
    public void Apply_AddCheckOverlapWithOverlappingSamePriority_ThrowsOverlapAndKeepsTable()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));

        var error = Assert.Throws<SwitchModelException>(() =>
            model.Apply(Flows.Add(0, 10, [Flows.IsIpv4], Flows.Apply(Flows.Output(3))) with { Flags = FlowModFlags.CheckOverlap }));

        Assert.Equal(OfpErrorType.FlowModFailed, error.ErrorType);
        Assert.Equal(SwitchErrorCodes.FlowModOverlap, error.Code);
        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(2)], Flows.Apply(Flows.Output(3))) with { Flags = FlowModFlags.CheckOverlap });
        Assert.Equal(3u, model.Evaluate(2, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Apply_DeleteByCookieMask_RemovesOnlyThatKindInEveryTable()
    {
        const ulong Conversation = 3UL << 56;
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.ToController())) with { Cookie = 1UL << 56 });
        model.Apply(Flows.Add(0, 100, [Oxm.InPort(1)], Flows.Goto(20)) with { Cookie = (2UL << 56) | 1 });
        model.Apply(Flows.Add(20, 100, [Flows.IsIpv4, Flows.Ipv4Dst(IpB)], Flows.Apply(Flows.Output(2))) with { Cookie = Conversation | 7 });
        model.Apply(Flows.Add(20, 100, [Flows.IsIpv4, Flows.Ipv4Dst(IpA)], Flows.Apply(Flows.Output(3))) with { Cookie = Conversation | 8 });
        model.Apply(Flows.Add(20, 0, [], Flows.Apply(Flows.ToController())) with { Cookie = 1UL << 56 });
        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);

        model.Apply(Flows.Delete(OfpTableId.All, [], Conversation | 7, ulong.MaxValue));

        PipelineResult after = model.Evaluate(1, Ping);
        Assert.Empty(after.Forwarded);
        Assert.Equal(20, Assert.Single(after.ToController).TableId);
        Assert.Equal(4, model.FlowCount);
    }

    [Fact]
    public void Apply_DeleteByKindMask_RemovesAllConversations()
    {
        var model = new SwitchModel();
        for (ulong id = 1; id <= 5; id++)
        {
            model.Apply(Flows.Add(0, 100, [Oxm.InPort((uint)id)], Flows.Apply(Flows.Output(9))) with { Cookie = (3UL << 56) | id });
        }

        model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.Output(8))) with { Cookie = 2UL << 56 });

        model.Apply(Flows.Delete(OfpTableId.All, [], 3UL << 56, 0xffUL << 56));

        Assert.Equal(8u, model.Evaluate(3, Ping).SingleOutput.Port);
        Assert.Equal(1, model.FlowCount);
    }

    [Fact]
    public void Apply_DeleteStrict_RemovesOnlyExactPriorityAndMatch()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(0, 20, [Oxm.InPort(1)], Flows.Apply(Flows.Output(3))));
        model.Apply(Flows.Add(0, 20, [Oxm.InPort(1), Flows.IsIpv4], Flows.Apply(Flows.Output(4))));

        model.Apply(Flows.DeleteStrict(0, 20, [Oxm.InPort(1), Flows.IsIpv4]));
        Assert.Equal(3u, model.Evaluate(1, Ping).SingleOutput.Port);

        model.Apply(Flows.DeleteStrict(0, 20, [Oxm.InPort(1)]));
        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Apply_DeleteNonStrict_RemovesMoreSpecificFlowsOnly()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.Ipv4Dst(IpB.ToIPAddress(), 24)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(0, 20, [Oxm.InPort(1), Flows.IsIpv4, Flows.Ipv4Dst(IpB)], Flows.Apply(Flows.Output(3))));
        model.Apply(Flows.Add(0, 5, [Oxm.InPort(1)], Flows.Apply(Flows.Output(4))));

        model.Apply(Flows.Delete(0, [Flows.IsIpv4, Flows.Ipv4Dst(IpB)]));

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(2, model.FlowCount);
    }

    [Fact]
    public void Apply_DeleteWithOutPort_RemovesOnlyFlowsOutputtingThere()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(5)], Flows.Write(Flows.Output(6))));

        model.Apply(Flows.Delete(0, []) with { OutPort = 6 });

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(DropReason.TableMiss, model.Evaluate(5, Ping).Dropped!.Reason);
    }

    [Fact]
    public void Apply_DeleteFlowWithSendFlowRem_ReturnsDeleteNoticeWithCounters()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))) with { Cookie = 42, Flags = FlowModFlags.SendFlowRem, IdleTimeout = 10 });
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(3)], Flows.Apply(Flows.Output(2))) with { Cookie = 43 });
        model.Evaluate(1, Ping);

        IReadOnlyList<FlowRemoved> notices = model.Apply(Flows.Delete(0, []));

        FlowRemoved notice = Assert.Single(notices);
        Assert.Equal(42u, notice.Cookie);
        Assert.Equal(FlowRemovedReason.Delete, notice.Reason);
        Assert.Equal(1u, notice.PacketCount);
        Assert.Equal((ulong)Ping.Length, notice.ByteCount);
        Assert.Equal(new OfpMatch([Oxm.InPort(1)]), notice.Match);
    }

    [Fact]
    public void Apply_ModifyNonStrict_ChangesCoveredFlowsAndKeepsCounters()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1), Flows.IsIpv4], Flows.Apply(Flows.Output(2))) with { Cookie = 5 });
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(2), Flows.IsIpv4], Flows.Apply(Flows.Output(4))) with { Cookie = 6 });
        model.Evaluate(1, Ping);

        model.Apply(new FlowMod { Command = FlowModCommand.Modify, TableId = 0, Match = new OfpMatch([Flows.IsIpv4]), Cookie = 5, CookieMask = ulong.MaxValue, Instructions = [Flows.Apply(Flows.Output(9))] });

        Assert.Equal(9u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(4u, model.Evaluate(2, Ping).SingleOutput.Port);
        Assert.Equal(2u, model.DumpFlows().Single(f => f.Cookie == 5).PacketCount);
    }

    [Fact]
    public void Apply_ModifyStrictWithOtherPriority_ChangesNothing()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));

        model.Apply(new FlowMod { Command = FlowModCommand.ModifyStrict, TableId = 0, Priority = 11, Match = new OfpMatch([Oxm.InPort(1)]), Instructions = [Flows.Apply(Flows.Output(9))] });
        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);

        model.Apply(new FlowMod { Command = FlowModCommand.ModifyStrict, TableId = 0, Priority = 10, Match = new OfpMatch([Oxm.InPort(1)]), Instructions = [Flows.Apply(Flows.Output(9))] });
        Assert.Equal(9u, model.Evaluate(1, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Apply_MatchWithoutPrerequisite_ThrowsBadPrerequisite()
    {
        var model = new SwitchModel();

        var error = Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(0, 10, [Flows.Ipv4Dst(IpB)], Flows.Apply(Flows.Output(2)))));
        var tcpError = Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.TcpDst(80)], Flows.Apply(Flows.Output(2)))));

        Assert.Equal(OfpErrorType.BadMatch, error.ErrorType);
        Assert.Equal(SwitchErrorCodes.BadMatchPrerequisite, error.Code);
        Assert.Equal(SwitchErrorCodes.BadMatchPrerequisite, tcpError.Code);
        Assert.Equal(0, model.FlowCount);
    }

    [Fact]
    public void Apply_SetFieldWithoutPrerequisiteInMatch_ThrowsMatchInconsistent()
    {
        var model = new SwitchModel();

        var error = Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(0, 10, [Oxm.InPort(1)], Flows.Apply(Flows.SetIpv4Dst(IpA), Flows.Output(2)))));

        Assert.Equal(OfpErrorType.BadAction, error.ErrorType);
        Assert.Equal(SwitchErrorCodes.BadActionMatchInconsistent, error.Code);
    }

    [Fact]
    public void Apply_GotoBackwardsTableOutputOrGroup_Refused()
    {
        var model = new SwitchModel();

        Assert.Equal(SwitchErrorCodes.BadInstructionTableId, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(20, 1, [], Flows.Goto(10)))).Code);
        Assert.Equal(SwitchErrorCodes.BadActionOutPort, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.Output(OpenFlow.Actions.OfpPortNo.Table))))).Code);
        Assert.Equal(SwitchErrorCodes.BadActionOutGroup, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(0, 1, [], Flows.Apply(new OpenFlow.Actions.GroupAction(1))))).Code);
        Assert.Equal(SwitchErrorCodes.FlowModBadTableId, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(OfpTableId.All, 1, [], Flows.Goto(10)))).Code);
        Assert.Equal(0, model.FlowCount);
    }

    [Fact]
    public void QueryFlows_CookieAndTableFilter_SelectsLikeFlowStatsRequest()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 0, [], Flows.Apply()) with { Cookie = (1UL << 56) | 1 });
        model.Apply(Flows.Add(30, 0, [], Flows.Apply()) with { Cookie = (1UL << 56) | 2 });
        model.Apply(Flows.Add(30, 5, [Oxm.InPort(1)], Flows.Apply()) with { Cookie = 2UL << 56 });

        IReadOnlyList<FlowEntry> drops = model.QueryFlows(new OpenFlow.Multipart.FlowStatsRequest { Cookie = 1UL << 56, CookieMask = 0xffUL << 56 });
        IReadOnlyList<FlowEntry> table30 = model.QueryFlows(new OpenFlow.Multipart.FlowStatsRequest { TableId = 30 });

        Assert.Equal([0, 30], drops.Select(f => (int)f.TableId));
        Assert.Equal([5, 0], table30.Select(f => (int)f.Priority));
    }

    [Fact]
    public void DumpFlows_InstructionsAndMatchGivenOutOfOrder_ReportedInSwitchOrderAndMaskedValue()
    {
        var model = new SwitchModel();
        model.Apply(Flows.PacketMeter(1, 10));
        model.Apply(Flows.Add(0, 10, [Oxm.Ipv4Dst(IpB.ToIPAddress(), System.Net.IPAddress.Parse("255.255.255.0")), Flows.IsIpv4], Flows.Goto(20), Flows.Metadata(1), Flows.Apply(Flows.Output(2)), Flows.Meter(1)));

        FlowEntry flow = Assert.Single(model.DumpFlows());

        Assert.Equal(
            [OfpInstructionType.Meter, OfpInstructionType.ApplyActions, OfpInstructionType.WriteMetadata, OfpInstructionType.GotoTable],
            flow.Instructions.Select(i => i.InstructionType));
        Assert.Equal(new OfpMatch([Flows.IsIpv4, Oxm.Ipv4Dst(Ipv4Address.Parse("10.0.0.0").ToIPAddress(), 24)]), flow.Match);
    }
}
