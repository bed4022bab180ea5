// Desired against installed, keyed by (table, priority, match) as a switch keys its flows (OVN
// ofctrl.c update_installed_flows_by_compare): what nobody wants is deleted, what is missing or
// differs is added (an ADD replaces the flow with the same key), what is identical is left alone so
// its counters and live traffic are untouched.
using System.Globalization;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Planning;

public static class FlowReconciler
{
    /// <param name="desired">Flows the switch should hold (adds), at most one per key.</param>
    /// <param name="installed">The switch's FLOW stats reply.</param>
    /// <param name="keepInstalledCookie">
    /// For an installed flow nobody desires: true keeps it (a live conversation's flow), false deletes it.
    /// </param>
    public static ReconcilePlan Diff(IReadOnlyList<FlowMod> desired, IReadOnlyList<FlowStats> installed, Func<ulong, bool> keepInstalledCookie)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(keepInstalledCookie);

        var wanted = new Dictionary<FlowKey, FlowMod>();
        foreach (FlowMod flow in desired)
        {
            if (!wanted.TryAdd(FlowKey.Of(flow.TableId, flow.Priority, flow.Match), flow))
            {
                throw new ArgumentException($"two desired flows share table {flow.TableId}, priority {flow.Priority} and match {flow.Match}", nameof(desired));
            }
        }

        var deletes = new List<FlowMod>();
        var matched = new HashSet<FlowKey>();
        int unchanged = 0;
        foreach (FlowStats flow in installed)
        {
            var key = FlowKey.Of(flow.TableId, flow.Priority, flow.Match);
            if (!matched.Add(key))
            {
                continue;
            }

            if (wanted.TryGetValue(key, out FlowMod? want))
            {
                if (SameFlow(want, flow))
                {
                    unchanged++;
                    wanted.Remove(key);
                }
            }
            else if (keepInstalledCookie(flow.Cookie))
            {
                unchanged++;
            }
            else
            {
                deletes.Add(new FlowMod
                {
                    Command = FlowModCommand.DeleteStrict,
                    TableId = flow.TableId,
                    Priority = flow.Priority,
                    Match = flow.Match,
                    Cookie = flow.Cookie,
                    CookieMask = Cookies.ExactMask,
                });
            }
        }

        // Adds keep the caller's order, so a pipeline is added table by table as it was planned.
        List<FlowMod> adds = [.. desired.Where(flow => wanted.ContainsKey(FlowKey.Of(flow.TableId, flow.Priority, flow.Match))).Select(flow => flow with { Command = FlowModCommand.Add })];
        return new ReconcilePlan(deletes, adds, unchanged);
    }

    /// <summary>
    /// Whether <paramref name="installed"/> is exactly <paramref name="desired"/>: the same keys, each flow identical
    /// (cookie, instructions, timeouts, flags), nothing more and nothing less. Adopting a conversation needs this.
    /// </summary>
    public static bool SameFlows(IReadOnlyList<FlowMod> desired, IReadOnlyList<FlowStats> installed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(installed);
        if (desired.Count != installed.Count)
        {
            return false;
        }

        var wanted = new Dictionary<FlowKey, FlowMod>();
        foreach (FlowMod flow in desired)
        {
            if (!wanted.TryAdd(FlowKey.Of(flow.TableId, flow.Priority, flow.Match), flow))
            {
                return false;
            }
        }

        return installed.All(flow => wanted.Remove(FlowKey.Of(flow.TableId, flow.Priority, flow.Match), out FlowMod? want) && SameFlow(want, flow));
    }

    /// <summary>A flow's key as a switch keys it: table, priority and the match in canonical form; equal keys replace each other.</summary>
    public static string KeyOf(FlowMod flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return FlowKey.Of(flow.TableId, flow.Priority, flow.Match).ToString();
    }

    // What an ADD would change: the key already matches, so compare what the flow does and how it ages.
    private static bool SameFlow(FlowMod want, FlowStats have) =>
        want.Cookie == have.Cookie
        && want.IdleTimeout == have.IdleTimeout
        && want.HardTimeout == have.HardTimeout
        && RelevantFlags(want.Flags) == RelevantFlags(have.Flags)
        && InstructionList.SequenceEqual(want.Instructions, have.Instructions);

    // CHECK_OVERLAP and RESET_COUNTS act at insertion time only; a switch need not report them back.
    private static FlowModFlags RelevantFlags(FlowModFlags flags) =>
        flags & (FlowModFlags.SendFlowRem | FlowModFlags.NoPktCounts | FlowModFlags.NoBytCounts);

    // A switch reports match fields in its own order, a masked value as value & mask and an all-ones
    // mask as no mask; the key is the set of fields in that canonical form.
    private readonly record struct FlowKey(byte Table, ushort Priority, string Match)
    {
        public static FlowKey Of(byte table, ushort priority, OfpMatch match) =>
            new(table, priority, string.Join(";", match.Fields.Select(Canonical).Order(StringComparer.Ordinal)));

        private static string Canonical(OxmField field)
        {
            byte[] value = field.Value.ToArray();
            ReadOnlySpan<byte> mask = field.Mask.Span;
            bool masked = field.HasMask && mask.ContainsAnyExcept((byte)0xff);
            if (masked)
            {
                for (int i = 0; i < value.Length && i < mask.Length; i++)
                {
                    value[i] &= mask[i];
                }
            }

            return string.Create(
                CultureInfo.InvariantCulture,
                $"{(ushort)field.Class:x4}/{field.Field}={Convert.ToHexStringLower(value)}/{(masked ? Convert.ToHexStringLower(mask) : "-")}");
        }
    }
}
