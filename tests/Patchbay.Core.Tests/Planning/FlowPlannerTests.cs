// The planner's contract apart from forwarding (ForwardingTests): every flow it emits passes the
// pipeline check, carries its owner's cookie, and the inputs it cannot plan are refused.
using FsCheck;
using FsCheck.Fluent;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Tests.Planning;

public sealed class FlowPlannerTests
{
    private static readonly FlowPlanner Planner = new(new PlannerOptions { IdleTimeoutSeconds = 7, PacketInRatePps = 500, PacketInBurst = 50 });
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(1);
    private static readonly Endpoint A = PlanningLab.Endpoint(1, H1, Net);
    private static readonly Endpoint B = PlanningLab.Endpoint(2, H2, Net);
    private static readonly Endpoint C = PlanningLab.Endpoint(3, H1, Net);

    [Fact]
    public void HostPipeline_EveryTable_HasAnExplicitMissFlow()
    {
        IReadOnlyList<FlowMod> flows = Planner.HostPipeline(H1);

        Assert.Equal(
            PatchbayPipeline.Tables.Select(t => t.Id),
            flows.Where(f => f.Priority == Priorities.Miss && f.Match.Fields.Count == 0 && f.Instructions.Count == 0).Select(f => f.TableId));
        Assert.All(flows, f => Assert.Equal(FlowKind.Pipeline, Cookies.KindOf(f.Cookie)));
    }

    [Fact]
    public void EndpointFlows_Unplugged_Throws()
    {
        Assert.Throws<ArgumentException>(() => Planner.EndpointFlows(H1, A with { OfPort = null }, Net));
    }

    [Fact]
    public void EndpointFlows_OtherHostOrNetwork_Throws()
    {
        Assert.Throws<ArgumentException>(() => Planner.EndpointFlows(H2, A, Net));
        Assert.Throws<ArgumentException>(() => Planner.EndpointFlows(H1, A, PlanningLab.Network(2)));
    }

    [Fact]
    public void EndpointFlows_AllCarryTheEndpointCookie_NoTimeout()
    {
        Assert.All(Planner.EndpointFlows(H1, A, Net), f =>
        {
            Assert.Equal(Cookies.Of(FlowKind.Endpoint, A.Id), f.Cookie);
            Assert.Equal(0, f.IdleTimeout);
            Assert.Equal(FlowModCommand.Add, f.Command);
        });
    }

    [Fact]
    public void EndpointMeter_Add_IsPortNumberedPacketRateDropBand()
    {
        MeterMod meter = Planner.EndpointMeter(A, MeterModCommand.Add);

        Assert.Equal(A.OfPort, meter.MeterId);
        Assert.Equal(MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, meter.Flags);
        Assert.Equal([new MeterBandDrop(500, 50)], meter.Bands);
    }

    [Fact]
    public void DesiredMeters_SkipsUnpluggedEndpoints()
    {
        IReadOnlyList<MeterMod> meters = Planner.DesiredMeters([A, C with { OfPort = null }]);

        Assert.Equal([A.OfPort!.Value], meters.Select(m => m.MeterId));
    }

    [Fact]
    public void DeleteEndpointFlows_AllTablesExactCookie()
    {
        FlowMod delete = Planner.DeleteEndpointFlows(A);

        Assert.Equal(FlowModCommand.Delete, delete.Command);
        Assert.Equal(OfpTableId.All, delete.TableId);
        Assert.Equal(Cookies.Of(FlowKind.Endpoint, A.Id), delete.Cookie);
        Assert.Equal(Cookies.KindMask | Cookies.IdMask, delete.CookieMask);
        PatchbayPipeline.Validate(delete);
    }

    [Fact]
    public void DeleteConversation_NotAConversationCookie_Throws()
    {
        Assert.Throws<ArgumentException>(() => Planner.DeleteConversation(Cookies.Of(FlowKind.Endpoint, 1)));
    }

    [Fact]
    public void PlanConversation_CrossHost_TwoFlowsPerSwitchWithTimeoutAndFlowRemoved()
    {
        ConversationPlan plan = Planner.PlanConversation(5, A, H1, B, H2, Net);

        Assert.Equal(Cookies.Of(FlowKind.Conversation, 5), plan.Cookie);
        Assert.Equal(DataPathMode.Direct, plan.Mode);
        Assert.False(plan.SameHost);
        Assert.Equal([Tables.Ingress, Tables.Egress], plan.DestinationSwitch.Select(f => f.TableId));
        Assert.Equal([Tables.Egress, Tables.Ingress], plan.SourceSwitch.Select(f => f.TableId));
        Assert.All(plan.DestinationSwitch.Concat(plan.SourceSwitch), f =>
        {
            Assert.Equal(plan.Cookie, f.Cookie);
            Assert.Equal(7, f.IdleTimeout);
            Assert.Equal(FlowModFlags.SendFlowRem, f.Flags);
        });
    }

    [Fact]
    public void PlanConversation_SameHost_AllFlowsOnSourceSwitch()
    {
        ConversationPlan plan = Planner.PlanConversation(6, A, H1, C, H1, Net);

        Assert.True(plan.SameHost);
        Assert.Empty(plan.DestinationSwitch);
        Assert.Equal([Tables.Egress, Tables.Egress], plan.SourceSwitch.Select(f => f.TableId));
    }

    [Fact]
    public void PlanConversation_DifferentSegments_NotSupported()
    {
        Host far = PlanningLab.Host(3, segment: "elsewhere");
        Endpoint d = PlanningLab.Endpoint(4, far, Net);

        Assert.Throws<NotSupportedException>(() => Planner.PlanConversation(1, A, H1, d, far, Net));
        Assert.Throws<NotSupportedException>(() => FlowPlanner.ModeFor(H1, far));
    }

    [Fact]
    public void PlanConversation_AgainForThePair_SharesImmutablePartsAndEqualsAFreshPlannersPlan()
    {
        var planner = new FlowPlanner(Planner.Options);
        var scope = new TrafficScope(6, 8080);

        ConversationPlan first = planner.PlanConversation(1, A, H1, B, H2, Net, scope);
        ConversationPlan second = planner.PlanConversation(2, A, H1, B, H2, Net, scope);
        ConversationPlan fresh = new FlowPlanner(Planner.Options).PlanConversation(2, A, H1, B, H2, Net, scope);

        // The same fields and instructions (one object each), in new flows with each conversation's own cookie.
        Assert.All(first.SourceSwitch.Zip(second.SourceSwitch).Concat(first.DestinationSwitch.Zip(second.DestinationSwitch)), pair =>
        {
            Assert.NotSame(pair.First, pair.Second);
            Assert.NotEqual(pair.First.Cookie, pair.Second.Cookie);
            Assert.All(pair.First.Match.Fields.Zip(pair.Second.Match.Fields), f => Assert.Same(f.First, f.Second));
            Assert.Same(pair.First.Instructions, pair.Second.Instructions);
        });
        Assert.Equal(fresh.SourceSwitch, second.SourceSwitch);
        Assert.Equal(fresh.DestinationSwitch, second.DestinationSwitch);
    }

    // The link's instruction lists are checked once, when built: a bad value in them is still refused, every time.
    [Fact]
    public void PlanConversation_UplinkIsAReservedPort_RefusedByThePipelineCheck()
    {
        var planner = new FlowPlanner(Planner.Options);
        Host flooding = H2 with { UplinkPort = OpenFlow.Actions.OfpPortNo.Flood };

        PipelineViolationException first = Assert.Throws<PipelineViolationException>(() => planner.PlanConversation(1, A, H1, B, flooding, Net));
        PipelineViolationException again = Assert.Throws<PipelineViolationException>(() => planner.PlanConversation(2, A, H1, B, flooding, Net));

        Assert.Equal(Tables.Egress, first.Table);
        Assert.Equal("output", first.Field);
        Assert.Equal(first.Message, again.Message);
    }

    [Fact]
    public void ModeFor_SameHostOrSameSegment_IsThePlannedMode()
    {
        Host near = PlanningLab.Host(3, segment: H1.Segment);
        Endpoint d = PlanningLab.Endpoint(4, near, Net);

        Assert.Equal(Planner.PlanConversation(1, A, H1, d, near, Net).Mode, FlowPlanner.ModeFor(H1, near));
        Assert.Equal(DataPathMode.Direct, FlowPlanner.ModeFor(H1, H1));
    }

    [Fact]
    public void PlanConversation_EndpointNotInNetworkOrNotOnHost_Throws()
    {
        Assert.Throws<ArgumentException>(() => Planner.PlanConversation(1, A, H1, B, H2, PlanningLab.Network(2)));
        Assert.Throws<ArgumentException>(() => Planner.PlanConversation(1, A, H2, B, H2, Net));
        Assert.Throws<ArgumentException>(() => Planner.PlanConversation(1, A, H1, A, H1, Net));
    }

    [Fact]
    public void DesiredStaticFlows_IsPipelinePlusPluggedEndpoints()
    {
        IReadOnlyList<FlowMod> flows = Planner.DesiredStaticFlows(H1, [(A, Net), (C with { OfPort = null }, Net)]);

        Assert.Equal([.. Planner.HostPipeline(H1), .. Planner.EndpointFlows(H1, A, Net)], flows);
    }

    [Fact]
    public void DropReasons_NameEveryDropFlow_AndNoForwardingFlow()
    {
        var installed = Planner.DesiredStaticFlows(H1, [(A, Net)])
            .Select(f => new OpenFlow.Multipart.FlowStats { TableId = f.TableId, Priority = f.Priority, Cookie = f.Cookie, Match = f.Match, Instructions = f.Instructions })
            .ToList();

        string[] expected = [DropReasons.Unclassified, DropReasons.ArpNotRequest, DropReasons.EgressMiss, DropReasons.NoConversation, DropReasons.NoLocalEndpoint, DropReasons.PortSecurity];
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            installed.Select(DropReasons.Of).OfType<string>().Order(StringComparer.Ordinal));
        Assert.All(installed.Where(f => f.Instructions.Count != 0), f => Assert.Null(DropReasons.Of(f)));
    }

    [Fact]
    public void EveryPlannedFlow_RandomTopologies_PassesThePipelineCheck()
    {
        Prop.ForAll(TopologyGen.Arbitrary, topology =>
        {
            foreach (Host host in topology.Hosts)
            {
                foreach (FlowMod flow in Planner.DesiredStaticFlows(host, topology.LocalTo(host)))
                {
                    PatchbayPipeline.Validate(flow);
                }
            }

            ulong id = 0;
            foreach ((Endpoint from, Endpoint to) in topology.SameNetworkPairs())
            {
                ConversationPlan plan = Planner.PlanConversation(++id, from, topology.HostOf(from), to, topology.HostOf(to), topology.NetworkOf(from));
                foreach (FlowMod flow in plan.DestinationSwitch.Concat(plan.SourceSwitch).Append(Planner.DeleteConversation(plan.Cookie)))
                {
                    PatchbayPipeline.Validate(flow);
                }
            }

            foreach (Endpoint endpoint in topology.Endpoints)
            {
                PatchbayPipeline.Validate(Planner.DeleteEndpointFlows(endpoint));
            }
        }).QuickCheckThrowOnFailure();
    }
}
