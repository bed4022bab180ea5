// Meters keyed by id: missing ones added, changed ones modified (which keeps their flows), strays deleted.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Tests.Planning;

public sealed class MeterReconcilerTests
{
    private static readonly FlowPlanner Planner = new(new PlannerOptions());
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Network Net = PlanningLab.Network(1);
    private static readonly Endpoint A = PlanningLab.Endpoint(1, H1, Net);
    private static readonly Endpoint C = PlanningLab.Endpoint(3, H1, Net);

    [Fact]
    public void Diff_SameMeters_NothingToDo()
    {
        IReadOnlyList<MeterMod> desired = Planner.DesiredMeters([A, C]);

        Assert.True(MeterReconciler.Diff(desired, Installed(desired)).IsEmpty);
    }

    [Fact]
    public void Diff_MissingChangedAndStray_AddModifyDelete()
    {
        IReadOnlyList<MeterMod> desired = Planner.DesiredMeters([A, C]);
        var slower = new FlowPlanner(new PlannerOptions { PacketInRatePps = 10 });
        MeterMod stray = Planner.EndpointMeter(A with { OfPort = 77 }, MeterModCommand.Add);

        MeterPlan plan = MeterReconciler.Diff(desired, Installed([slower.EndpointMeter(A, MeterModCommand.Add), stray]));

        Assert.Equal([Planner.EndpointMeter(C, MeterModCommand.Add)], plan.Adds);
        Assert.Equal([Planner.EndpointMeter(A, MeterModCommand.Modify)], plan.Modifies);
        MeterMod delete = Assert.Single(plan.Deletes);
        Assert.Equal((MeterModCommand.Delete, 77u), (delete.Command, delete.MeterId));
    }

    private static List<MeterConfig> Installed(IEnumerable<MeterMod> meters) =>
        [.. meters.Select(m => new MeterConfig(m.Flags, m.MeterId, m.Bands))];
}
