// The pipeline declaration and the check every planned flow passes: each rule of Validate is shown
// refusing a flow that breaks it, naming table, field and rule.
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Pipeline;

public sealed class PatchbayPipelineTests
{
    private static readonly OfpInstruction ToController = new ApplyActionsInstruction([new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer)]);

    [Fact]
    public void Tables_AreTheNamedConstantsInOrder()
    {
        Assert.Equal(
            [Tables.Classify, Tables.Arp, Tables.Egress, Tables.Ingress, Tables.Deliver],
            PatchbayPipeline.Tables.Select(t => t.Id));
        Assert.Equal(["classify", "arp", "egress", "ingress", "deliver"], PatchbayPipeline.Tables.Select(t => t.Name));
    }

    [Fact]
    public void Tables_GotosOnlyGoForwardToDeclaredTables()
    {
        foreach (TableSpec table in PatchbayPipeline.Tables)
        {
            Assert.All(table.Gotos, next =>
            {
                Assert.True(next > table.Id, $"table {table.Id} jumps back to {next}");
                Assert.NotNull(PatchbayPipeline.Find(next));
            });
        }
    }

    [Fact]
    public void Tables_EveryTableDescribesItsMissAndJob()
    {
        Assert.All(PatchbayPipeline.Tables, t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.Miss));
            Assert.False(string.IsNullOrWhiteSpace(t.Job));
        });
    }

    [Fact]
    public void Validate_DeclaredFlow_Passes()
    {
        PatchbayPipeline.Validate(Flow(
            Tables.Egress,
            [Oxm.Metadata(7, PatchbayPipeline.NetworkMetadataMask), Oxm.EthType(EtherType.Ipv4), Oxm.Ipv4Dst(System.Net.IPAddress.Parse("10.1.0.2"))],
            new ApplyActionsInstruction([new SetFieldAction(Oxm.EthDst(new byte[6])), new OutputAction(3)])));
    }

    [Fact]
    public void Validate_UnknownTable_ThrowsNamingTable()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(Flow(5, [])));
        Assert.Equal(5, e.Table);
        Assert.Contains("no such table", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MatchFieldNotDeclared_ThrowsNamingField()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Deliver, [Oxm.InPort(3)])));
        Assert.Equal(Tables.Deliver, e.Table);
        Assert.Equal("in_port", e.Field);
        Assert.Contains("deliver", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Ipv4FieldWithoutEthType_ThrowsPrerequisite()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Deliver, [Oxm.Ipv4Dst(System.Net.IPAddress.Parse("10.1.0.2"))])));
        Assert.Equal("ipv4_dst", e.Field);
        Assert.Contains("eth_type=0x0800", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ArpFieldUnderIpv4EthType_ThrowsPrerequisite()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Arp, [Oxm.EthType(EtherType.Ipv4), Oxm.ArpOp(1)])));
        Assert.Equal("arp_op", e.Field);
    }

    [Fact]
    public void Validate_FieldMatchedTwice_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Classify, [Oxm.InPort(3), Oxm.InPort(4)])));
        Assert.Equal("in_port", e.Field);
    }

    [Fact]
    public void Validate_SetFieldNotDeclared_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Deliver, [], new ApplyActionsInstruction([new SetFieldAction(Oxm.EthSrc(new byte[6])), new OutputAction(3)]))));
        Assert.Equal("eth_src", e.Field);
    }

    [Fact]
    public void Validate_GotoNotDeclared_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Classify, [Oxm.InPort(3)], new GotoTableInstruction(Tables.Deliver))));
        Assert.Equal("goto_table", e.Field);
        Assert.Contains("40", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ControllerOutputWithoutMeter_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Egress, [Oxm.InPort(3)], ToController)));
        Assert.Equal("output:CONTROLLER", e.Field);
        Assert.Contains("meter", e.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ControllerOutputFromIngress_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Ingress, [], new MeterInstruction(3), ToController)));
        Assert.Equal(Tables.Ingress, e.Table);
    }

    [Theory]
    [InlineData(OfpPortNo.Flood)]
    [InlineData(OfpPortNo.All)]
    [InlineData(OfpPortNo.Normal)]
    public void Validate_Flooding_ThrowsInEveryTable(uint port)
    {
        foreach (TableSpec table in PatchbayPipeline.Tables)
        {
            Assert.Throws<PipelineViolationException>(() =>
                PatchbayPipeline.Validate(Flow(table.Id, [], new ApplyActionsInstruction([new OutputAction(port)]))));
        }
    }

    [Fact]
    public void Validate_PortOutputFromClassify_Throws()
    {
        Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Classify, [], new ApplyActionsInstruction([new OutputAction(2)]))));
    }

    [Fact]
    public void Validate_WriteMetadataInEgress_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Egress, [], new WriteMetadataInstruction(1, PatchbayPipeline.NetworkMetadataMask))));
        Assert.Equal("write_metadata", e.Field);
    }

    [Fact]
    public void Validate_WriteMetadataOutsideNetworkMask_Throws()
    {
        Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Classify, [], new WriteMetadataInstruction(1UL << 40, ulong.MaxValue))));
    }

    [Fact]
    public void Validate_UnusedActionType_Throws()
    {
        PipelineViolationException e = Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(Flow(Tables.Deliver, [], new ApplyActionsInstruction([new PushVlanAction(EtherType.Vlan)]))));
        Assert.Equal("PushVlan", e.Field);
    }

    [Fact]
    public void Validate_DeleteAcrossAllTablesByCookie_Passes()
    {
        PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Cookie = 5, CookieMask = ulong.MaxValue });
    }

    [Fact]
    public void Validate_DeleteAcrossAllTablesWithMatch_Throws()
    {
        Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Match = new OfpMatch([Oxm.InPort(3)]) }));
    }

    [Fact]
    public void Validate_DeleteStrictInTable_ChecksMatchOnly()
    {
        PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.DeleteStrict, TableId = Tables.Arp, Match = new OfpMatch([Oxm.InPort(3)]) });
        Assert.Throws<PipelineViolationException>(() =>
            PatchbayPipeline.Validate(new FlowMod { Command = FlowModCommand.DeleteStrict, TableId = Tables.Arp, Match = new OfpMatch([Oxm.Ipv4Dst(System.Net.IPAddress.Loopback)]) }));
    }

    private static FlowMod Flow(byte table, OxmField[] match, params OfpInstruction[] instructions) => new()
    {
        Command = FlowModCommand.Add,
        TableId = table,
        Match = new OfpMatch(match),
        Instructions = instructions,
    };
}
