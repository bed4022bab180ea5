// Two ovs-vswitchd settings the hot-plug route depends on, written through OVSDB after the bridge exists:
//
// - Open_vSwitch other_config:max-idle. OVS caches translated packets as datapath flows (megaflows) and
//   updates that cache asynchronously, in its revalidator threads, after a flow table change; a barrier
//   reply does not wait for them. When a conversation's flows idle out while its megaflows are still cached
//   (the OVS default keeps an idle megaflow 10 s), the revalidators rewrite those megaflows to what the
//   tables say now: drop (ingress miss) or controller (egress miss). The next first packet of the pair sets
//   new flows up, but a packet that reaches the other switch before its revalidators run hits the stale drop
//   and is lost. A max-idle well below the conversation idle timeout lets an idle megaflow go before its
//   conversation's flows expire, so a re-created conversation never meets a stale one.
// - Controller max_backoff. After the controller goes away OVS retries with exponential backoff up to
//   max_backoff (default 8 s); a short one lets a restarted controller see its switches again within a second.
using Patchbay.Ovsdb;
using Patchbay.Ovsdb.OpenVSwitch;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Agent.Ovs;

public static class SwitchTuning
{
    public const string MaxIdleKey = "max-idle";

    /// <summary>Sets max-idle on the Open_vSwitch row and max_backoff on the bridge's Controller rows, in one transaction.</summary>
    public static async Task ApplyAsync(OvsdbClient client, AgentOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        string maxIdle = ((long)options.DatapathMaxIdle.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<OvsdbOperation> operations =
        [
            // Delete-then-insert of one key: other keys of other_config stay as others set them.
            new MutateOperation("Open_vSwitch", [], [OvsdbMutation.Delete("other_config", OvsdbValue.StringSet([MaxIdleKey]))]),
            new MutateOperation("Open_vSwitch", [], [OvsdbMutation.Insert("other_config", OvsdbValue.StringMap([new(MaxIdleKey, maxIdle)]))]),
        ];
        foreach (string target in options.OpenFlowTargets.Distinct())
        {
            operations.Add(new UpdateOperation(
                "Controller",
                [OvsdbCondition.Equal("target", OvsdbValue.String(target))],
                new Dictionary<string, OvsdbValue>(StringComparer.Ordinal) { ["max_backoff"] = OvsdbValue.Integer((long)options.ControllerMaxBackoff.TotalMilliseconds) }));
        }

        await client.TransactAsync(OpenVSwitchDb.DatabaseName, operations, cancellationToken);
    }
}
