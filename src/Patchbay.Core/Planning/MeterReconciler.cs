// Desired meters against a switch's METER_CONFIG reply, keyed by meter id. Order matters more than for
// flows: a flow that names a missing meter is refused, and deleting a meter deletes the flows that use
// it, so adds and modifies go before the flow adds and deletes after the flow deletes.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Planning;

/// <param name="Adds">Meters the switch lacks: send before any flow that uses them.</param>
/// <param name="Modifies">Meters whose flags or bands differ: a MODIFY keeps the flows that use them.</param>
/// <param name="Deletes">Meters nobody wants: send after the flow deletes (a switch drops the flows that use a deleted meter).</param>
public sealed record MeterPlan(IReadOnlyList<MeterMod> Adds, IReadOnlyList<MeterMod> Modifies, IReadOnlyList<MeterMod> Deletes)
{
    public bool IsEmpty => Adds.Count == 0 && Modifies.Count == 0 && Deletes.Count == 0;
}

public static class MeterReconciler
{
    public static MeterPlan Diff(IReadOnlyList<MeterMod> desired, IReadOnlyList<MeterConfig> installed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(installed);
        var have = new Dictionary<uint, MeterConfig>();
        foreach (MeterConfig meter in installed)
        {
            have.TryAdd(meter.MeterId, meter);
        }

        var adds = new List<MeterMod>();
        var modifies = new List<MeterMod>();
        var wanted = new HashSet<uint>();
        foreach (MeterMod meter in desired)
        {
            if (!wanted.Add(meter.MeterId))
            {
                throw new ArgumentException($"meter {meter.MeterId} is desired twice", nameof(desired));
            }

            if (!have.TryGetValue(meter.MeterId, out MeterConfig? current))
            {
                adds.Add(meter with { Command = MeterModCommand.Add });
            }
            else if (current.Flags != meter.Flags || !current.Bands.SequenceEqual(meter.Bands))
            {
                modifies.Add(meter with { Command = MeterModCommand.Modify });
            }
        }

        List<MeterMod> deletes =
        [
            .. have.Keys.Where(id => !wanted.Contains(id)).Order().Select(id => new MeterMod(MeterModCommand.Delete, MeterFlags.None, id, [])),
        ];
        return new MeterPlan(adds, modifies, deletes);
    }
}
