// The check of conversation flows whose instruction list was checked once (CheckedInstructions): a list that
// breaks its table is refused when it is built, a flow that carries it in another table or carries another list
// is refused, and the flow's match is held to every rule Validate holds it to.
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Pipeline;

public sealed class CheckedInstructionsTests
{
    private static readonly CheckedInstructions IngressToDeliver = new(
        Tables.Ingress,
        new OfpInstruction[] { new WriteMetadataInstruction(7, PatchbayPipeline.NetworkMetadataMask), new GotoTableInstruction(Tables.Deliver) });

    private static readonly OxmField[] ValidIngressMatch = [Oxm.InPort(1), Oxm.EthType(EtherType.Ipv4), Oxm.Ipv4Src(0x0a010002), Oxm.Ipv4Dst(0x0a010003)];

    [Fact]
    public void New_ListBreakingItsTable_ThrowsNamingTheInstruction()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            new CheckedInstructions(Tables.Egress, new OfpInstruction[] { new WriteMetadataInstruction(7, PatchbayPipeline.NetworkMetadataMask) }));

        Assert.Equal(Tables.Egress, e.Table);
        Assert.Equal("write_metadata", e.Field);
    }

    [Fact]
    public void New_FloodingList_Throws()
    {
        Assert.Throws<PipelineViolationException>(() =>
            new CheckedInstructions(Tables.Egress, new OfpInstruction[] { new ApplyActionsInstruction([new OutputAction(OfpPortNo.Flood)]) }));
    }

    [Fact]
    public void Validate_FlowInItsTableWithTheCheckedList_Passes()
    {
        FlowMod flow = Flow(Tables.Ingress, ValidIngressMatch, IngressToDeliver.List);

        PatchbayPipeline.Validate(flow, IngressToDeliver);
        PatchbayPipeline.Validate(flow);
    }

    [Fact]
    public void Validate_FlowInAnotherTable_ThrowsNamingTheCheckedTable()
    {
        FlowMod flow = Flow(Tables.Egress, [Oxm.EthType(EtherType.Ipv4), Oxm.Ipv4Dst(0x0a010003)], IngressToDeliver.List);

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(flow, IngressToDeliver));

        Assert.Equal(Tables.Egress, e.Table);
        Assert.Contains("checked for table 30 (ingress)", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EqualButNotTheCheckedList_Throws()
    {
        FlowMod flow = Flow(Tables.Ingress, ValidIngressMatch, [.. IngressToDeliver.List]);

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(flow, IngressToDeliver));

        Assert.Contains("not the checked list", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MatchFieldNotDeclared_ThrowsNamingField()
    {
        FlowMod flow = Flow(Tables.Ingress, [.. ValidIngressMatch, Oxm.Metadata(7, PatchbayPipeline.NetworkMetadataMask)], IngressToDeliver.List);

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(flow, IngressToDeliver));

        Assert.Equal("metadata", e.Field);
    }

    [Fact]
    public void Validate_PortWithoutItsProtocol_ThrowsPrerequisite()
    {
        FlowMod flow = Flow(Tables.Ingress, [.. ValidIngressMatch, Oxm.TcpDst(80)], IngressToDeliver.List);

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(flow, IngressToDeliver));

        Assert.Equal("tcp_dst", e.Field);
        Assert.Contains("ip_proto=6", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FieldMatchedTwice_Throws()
    {
        FlowMod flow = Flow(Tables.Ingress, [.. ValidIngressMatch, Oxm.Ipv4Src(0x0a010009)], IngressToDeliver.List);

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(flow, IngressToDeliver));

        Assert.Equal("ipv4_src", e.Field);
        Assert.Contains("twice", e.Rule, StringComparison.Ordinal);
    }

    // A match read from a switch is a List, not an array: the same rules apply to it.
    [Fact]
    public void Validate_MatchAsAList_HeldToTheSameRules()
    {
        var fields = new List<OxmField>(ValidIngressMatch) { Oxm.TcpDst(80) };

        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.Add, TableId = Tables.Ingress, Match = new OfpMatch(fields), Instructions = IngressToDeliver.List }));

        Assert.Equal("tcp_dst", e.Field);
        PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.Add, TableId = Tables.Ingress, Match = new OfpMatch(new List<OxmField>(ValidIngressMatch)) });
    }

    private static FlowMod Flow(byte table, OxmField[] match, IReadOnlyList<OfpInstruction> instructions) => new()
    {
        Command = FlowModCommand.Add,
        TableId = table,
        Priority = Priorities.Forward,
        Match = new OfpMatch(match),
        Instructions = instructions,
    };
}
