// Reading conversations back from a switch's flows (for adoption after a controller restart): every planned
// conversation, on either switch and on one host, yields its cookie, network and address pair; anything that
// does not name one network and one pair is unreadable. SameFlows is the exact comparison adoption needs.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Planning;

public sealed class InstalledConversationTests
{
    private static readonly FlowPlanner Planner = new(new PlannerOptions());
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(5);
    private static readonly Endpoint A = PlanningLab.Endpoint(1, H1, Net);
    private static readonly Endpoint B = PlanningLab.Endpoint(2, H2, Net);
    private static readonly Endpoint C = PlanningLab.Endpoint(3, H1, Net);

    [Fact]
    public void ReadAll_CrossHostPlanOnEitherSwitch_CookieNetworkAndPair()
    {
        ConversationPlan plan = Planner.PlanConversation(42, B, H2, A, H1, Net);

        foreach (IReadOnlyList<FlowMod> side in new[] { plan.SourceSwitch, plan.DestinationSwitch })
        {
            InstalledConversation read = Assert.Single(InstalledConversation.ReadAll(Installed(side), out IReadOnlyList<ulong> unreadable));

            Assert.Empty(unreadable);
            Assert.Equal((plan.Cookie, 42UL, 5u, A.Ip, B.Ip, 2), (read.Cookie, read.Id, read.NetworkId, read.Low, read.High, read.Flows.Count));
        }
    }

    [Fact]
    public void ReadAll_SameHostPlanAmongStaticFlows_OnlyTheConversation()
    {
        ConversationPlan plan = Planner.PlanConversation(7, A, H1, C, H1, Net);
        IReadOnlyList<FlowMod> all = [.. Planner.DesiredStaticFlows(H1, [(A, Net), (C, Net)]), .. plan.SourceSwitch];

        InstalledConversation read = Assert.Single(InstalledConversation.ReadAll(Installed(all), out IReadOnlyList<ulong> unreadable));

        Assert.Empty(unreadable);
        Assert.Equal((7UL, 5u, A.Ip, C.Ip), (read.Id, read.NetworkId, read.Low, read.High));
    }

    [Fact]
    public void ReadAll_CookieWithoutAPairOrWithTwoPairs_Unreadable()
    {
        ulong noPair = Cookies.Of(FlowKind.Conversation, 8);
        FlowMod inPortOnly = new() { TableId = 20, Priority = 100, Cookie = noPair, Match = new OfpMatch([Oxm.InPort(3)]) };
        ConversationPlan ab = Planner.PlanConversation(9, A, H1, B, H2, Net);
        FlowMod otherPair = Planner.PlanConversation(9, C, H1, B, H2, Net).SourceSwitch[0];

        IReadOnlyList<InstalledConversation> read = InstalledConversation.ReadAll(Installed([inPortOnly, ab.SourceSwitch[0], otherPair]), out IReadOnlyList<ulong> unreadable);

        Assert.Empty(read);
        Assert.Equal([noPair, ab.Cookie], unreadable);
    }

    [Fact]
    public void SameFlows_PlanAgainstItsOwnFlows_TrueAndEveryDifferenceFalse()
    {
        IReadOnlyList<FlowMod> plan = Planner.PlanConversation(3, A, H1, B, H2, Net).SourceSwitch;

        Assert.True(FlowReconciler.SameFlows(plan, Installed(plan)));
        Assert.True(FlowReconciler.SameFlows(plan, [.. Installed(plan).Select(f => f with { Match = new OfpMatch([.. f.Match.Fields.Reverse()]) })]));
        Assert.False(FlowReconciler.SameFlows(plan, Installed([plan[0]])), "one flow missing");
        Assert.False(FlowReconciler.SameFlows(plan, Installed([plan[0], plan[1] with { IdleTimeout = 99 }])), "another idle timeout");
        Assert.False(FlowReconciler.SameFlows(plan, Installed([plan[0], plan[1] with { Cookie = Cookies.Of(FlowKind.Conversation, 4) }])), "another cookie");
        Assert.False(FlowReconciler.SameFlows(plan, Installed([plan[0], plan[0] with { Priority = 99 }])), "another flow instead");
        Assert.False(FlowReconciler.SameFlows(plan, Installed([.. plan, Planner.PlanConversation(3, C, H1, B, H2, Net).SourceSwitch[0]])), "one flow more");
    }

    [Fact]
    public void KeyOf_FieldsInAnotherOrder_SameKeyAndAnotherPriorityAnotherKey()
    {
        FlowMod flow = Planner.PlanConversation(3, A, H1, B, H2, Net).SourceSwitch[0];

        Assert.Equal(FlowReconciler.KeyOf(flow), FlowReconciler.KeyOf(flow with { Match = new OfpMatch([.. flow.Match.Fields.Reverse()]), Cookie = 1 }));
        Assert.NotEqual(FlowReconciler.KeyOf(flow), FlowReconciler.KeyOf(flow with { Priority = 1 }));
        Assert.NotEqual(FlowReconciler.KeyOf(flow), FlowReconciler.KeyOf(flow with { Match = new OfpMatch([.. flow.Match.Fields.Where(f => f.Field != (byte)OxmBasicField.Ipv4Dst), Oxm.Ipv4Dst(new Ipv4Address(1).ToIPAddress())]) }));
    }

    private static List<FlowStats> Installed(IEnumerable<FlowMod> flows) =>
    [
        .. flows.Select(f => new FlowStats
        {
            TableId = f.TableId,
            Priority = f.Priority,
            Cookie = f.Cookie,
            IdleTimeout = f.IdleTimeout,
            HardTimeout = f.HardTimeout,
            Flags = f.Flags,
            Match = f.Match,
            Instructions = f.Instructions,
            DurationSec = 30,
        }),
    ];
}
