// Desired against installed, keyed by (table, priority, match): identical flows are left alone,
// strays deleted (unless kept by cookie), missing or changed flows added, deletes before adds.
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Tests.Planning;

public sealed class FlowReconcilerTests
{
    private static readonly FlowPlanner Planner = new(new PlannerOptions());
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(1);
    private static readonly Endpoint A = PlanningLab.Endpoint(1, H1, Net);
    private static readonly Endpoint B = PlanningLab.Endpoint(2, H2, Net);
    private static readonly Endpoint C = PlanningLab.Endpoint(3, H1, Net);

    [Fact]
    public void Diff_IdenticalSets_NothingToDo()
    {
        IReadOnlyList<FlowMod> desired = Desired(A, C);

        ReconcilePlan plan = FlowReconciler.Diff(desired, Installed(desired), _ => false);

        Assert.True(plan.IsEmpty);
        Assert.Equal(desired.Count, plan.Unchanged);
    }

    [Fact]
    public void Diff_InstalledReportsFieldsInAnotherOrder_StillIdentical()
    {
        IReadOnlyList<FlowMod> desired = Desired(A);
        List<FlowStats> shuffled = [.. Installed(desired).Select(f => f with { Match = new OfpMatch([.. f.Match.Fields.Reverse()]) })];

        ReconcilePlan plan = FlowReconciler.Diff(desired, shuffled, _ => false);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Diff_ExtraInstalled_DeletedStrictlyByItsCookie()
    {
        IReadOnlyList<FlowMod> installed = Desired(A, C);

        ReconcilePlan plan = FlowReconciler.Diff(Desired(A), Installed(installed), _ => false);

        Assert.Empty(plan.Adds);
        IReadOnlyList<FlowMod> cFlows = Planner.EndpointFlows(H1, C, Net);
        Assert.Equal(cFlows.Count, plan.Deletes.Count);
        Assert.All(plan.Deletes, d =>
        {
            Assert.Equal(FlowModCommand.DeleteStrict, d.Command);
            Assert.Equal(Cookies.Of(FlowKind.Endpoint, C.Id), d.Cookie);
            Assert.Equal(Cookies.ExactMask, d.CookieMask);
            PatchbayPipeline.Validate(d);
        });
        Assert.Equal(
            cFlows.Select(f => (f.TableId, f.Priority, f.Match)).ToHashSet(),
            plan.Deletes.Select(f => (f.TableId, f.Priority, f.Match)).ToHashSet());
    }

    [Fact]
    public void Diff_MissingFlows_Added()
    {
        IReadOnlyList<FlowMod> desired = Desired(A, C);

        ReconcilePlan plan = FlowReconciler.Diff(desired, Installed(Desired(A)), _ => false);

        Assert.Empty(plan.Deletes);
        Assert.Equal(Planner.EndpointFlows(H1, C, Net), plan.Adds);
        Assert.All(plan.Adds, a => Assert.Equal(FlowModCommand.Add, a.Command));
    }

    [Fact]
    public void Diff_ChangedActions_ReAddedNotDeleted()
    {
        IReadOnlyList<FlowMod> desired = Desired(A);
        Endpoint movedPort = A with { OfPort = 99 };
        IReadOnlyList<FlowMod> stale = [.. Planner.HostPipeline(H1), .. Planner.EndpointFlows(H1, movedPort, Net)];
        // Same key (deliver matches network and address only), different output port.
        FlowMod deliver = desired.Single(f => f.TableId == Tables.Deliver && f.Priority != Priorities.Miss);

        ReconcilePlan plan = FlowReconciler.Diff(desired, Installed(stale), _ => false);

        Assert.Contains(deliver, plan.Adds);
        Assert.DoesNotContain(plan.Deletes, d => d.TableId == Tables.Deliver && d.Priority == deliver.Priority);
    }

    [Fact]
    public void Diff_ChangedCookieOrTimeout_ReAdded()
    {
        IReadOnlyList<FlowMod> desired = Desired(A);
        List<FlowStats> installed = [.. Installed(desired)];
        installed[0] = installed[0] with { Cookie = 0xdead };
        installed[1] = installed[1] with { IdleTimeout = 30 };

        ReconcilePlan plan = FlowReconciler.Diff(desired, installed, _ => false);

        Assert.Equal([desired[0], desired[1]], plan.Adds);
        Assert.Empty(plan.Deletes);
        Assert.Equal(desired.Count - 2, plan.Unchanged);
    }

    [Fact]
    public void Diff_LiveConversationCookie_KeptOthersDeleted()
    {
        IReadOnlyList<FlowMod> desired = Desired(A);
        ConversationPlan live = Planner.PlanConversation(1, A, H1, B, H2, Net);
        ConversationPlan dead = Planner.PlanConversation(2, A, H1, B with { Id = 9, Ip = new Packets.Ipv4Address(B.Ip.Value + 1) }, H2, Net);
        List<FlowStats> installed = [.. Installed([.. desired, .. live.SourceSwitch, .. dead.SourceSwitch])];

        ReconcilePlan plan = FlowReconciler.Diff(desired, installed, cookie => cookie == live.Cookie);

        Assert.Empty(plan.Adds);
        Assert.Equal(dead.SourceSwitch.Count, plan.Deletes.Count);
        Assert.All(plan.Deletes, d => Assert.Equal(dead.Cookie, d.Cookie));
        Assert.Equal(desired.Count + live.SourceSwitch.Count, plan.Unchanged);
    }

    [Fact]
    public void Diff_BothKinds_DeletesComeFirst()
    {
        ReconcilePlan plan = FlowReconciler.Diff(Desired(A), Installed(Desired(C)), _ => false);

        Assert.NotEmpty(plan.Deletes);
        Assert.NotEmpty(plan.Adds);
        List<FlowMod> order = [.. plan.InOrder];
        int lastDelete = order.FindLastIndex(f => f.Command == FlowModCommand.DeleteStrict);
        int firstAdd = order.FindIndex(f => f.Command == FlowModCommand.Add);
        Assert.True(lastDelete < firstAdd);
    }

    [Fact]
    public void Diff_MaskedFieldReportedAsValueAndMask_StillIdentical()
    {
        FlowMod desired = new()
        {
            TableId = Tables.Deliver,
            Priority = Priorities.Forward,
            Match = new OfpMatch([Oxm.Metadata(0x1_0000_0001, 0xffff_ffff), Oxm.EthType(0x0800)]),
            Instructions = [new ApplyActionsInstruction([new OutputAction(3)])],
        };
        FlowStats reported = Installed([desired])[0] with { Match = new OfpMatch([Oxm.EthType(0x0800), Oxm.Metadata(1, 0xffff_ffff)]) };

        Assert.True(FlowReconciler.Diff([desired], [reported], _ => false).IsEmpty);
    }

    [Fact]
    public void Diff_DuplicateDesiredKey_Throws()
    {
        FlowMod flow = Planner.HostPipeline(H1)[0];

        Assert.Throws<ArgumentException>(() => FlowReconciler.Diff([flow, flow with { Cookie = 1 }], [], _ => false));
    }

    private static IReadOnlyList<FlowMod> Desired(params Endpoint[] local) =>
        Planner.DesiredStaticFlows(H1, local.Select(e => (e, Net)));

    // What the switch reports for flows it accepted: same key, cookie, timeouts, flags, instructions.
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
            PacketCount = 17,
        }),
    ];
}
