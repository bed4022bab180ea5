// Typed, idempotent operations on the Open_vSwitch database (vswitch.ovsschema) for the agent: bridge, controller
// targets and ports. Each change reads first, then writes in one transaction guarded by "wait" (optimistic concurrency)
// and uses "mutate" on shared sets and maps, so a concurrent writer's rows and keys are never overwritten.
using System.Globalization;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.OpenVSwitch;

public sealed class OpenVSwitchDb
{
    public const string DatabaseName = "Open_vSwitch";

    /// <summary>How often a change is retried when a "wait" guard shows someone else changed the same rows first.</summary>
    private const int Attempts = 5;

    /// <summary>The uuid-name of the bridge's own port when a transaction creates it.</summary>
    private const string LocalPortName = "pb_local_port";

    private readonly OvsdbClient _client;

    public OpenVSwitchDb(OvsdbClient client)
    {
        _client = client;
    }

    /// <summary>
    /// Creates the bridge with its internal port, or brings an existing one to <paramref name="spec"/>: datapath type,
    /// fail mode, protocols, datapath id and exactly the given controller targets; and links it into Open_vSwitch.bridges.
    /// Returns the Bridge row's uuid.
    /// </summary>
    public async Task<Guid> EnsureBridgeAsync(OvsBridgeSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        if (spec.DatapathId is { } dpid && (dpid.Length != 16 || !ulong.TryParse(dpid, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)))
        {
            throw new ArgumentException($"datapath id '{dpid}' is not 16 hex digits", nameof(spec));
        }

        return await RetryOnRaceAsync(() => EnsureBridgeOnceAsync(spec, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the port (one interface of the same name) to the bridge, or updates an existing one: interface type ("internal",
    /// "patch", ...; null for a system device such as a veth), the given external_ids keys (other keys kept),
    /// ofport_request; a port found on another bridge is moved. Returns the Port uuid.
    /// </summary>
    public Task<Guid> AddPortAsync(
        string bridge,
        string portName,
        string? interfaceType = null,
        IReadOnlyDictionary<string, string>? externalIds = null,
        int? ofportRequest = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bridge);
        ArgumentException.ThrowIfNullOrEmpty(portName);
        return RetryOnRaceAsync(() => AddPortOnceAsync(bridge, portName, interfaceType ?? string.Empty, externalIds ?? new Dictionary<string, string>(), ofportRequest, cancellationToken));
    }

    /// <summary>Unlinks the port from the bridge; OVSDB then deletes the unreferenced Port and Interface rows. False if it was not there.</summary>
    public async Task<bool> RemovePortAsync(string bridge, string portName, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OvsdbOperationResult> found = await TransactAsync(
            cancellationToken,
            new SelectOperation("Port", [OvsdbCondition.NameIs(portName)], ["_uuid"])).ConfigureAwait(false);
        if (found[0].SelectedRows.Count == 0)
        {
            return false;
        }

        IReadOnlyList<OvsdbOperationResult> removed = await TransactAsync(
            cancellationToken,
            new MutateOperation("Bridge", [OvsdbCondition.NameIs(bridge)], [OvsdbMutation.Delete("ports", OvsdbValue.Set(OvsdbValue.Uuid(found[0].SelectedRows[0].Uuid)))]),
            new CommentOperation($"patchbay: remove port {portName} from {bridge}")).ConfigureAwait(false);
        return removed[0].Count > 0;
    }

    public async Task<OvsInterface?> GetInterfaceAsync(string name, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OvsdbOperationResult> results = await TransactAsync(
            cancellationToken,
            new SelectOperation(
                "Interface",
                [OvsdbCondition.NameIs(name)],
                ["_uuid", "name", "type", "ofport", "ofport_request", "mac_in_use", "link_state", "admin_state", "error", "external_ids"])).ConfigureAwait(false);
        if (results[0].SelectedRows is not [OvsdbRow row, ..])
        {
            return null;
        }

        return new OvsInterface(
            row.Uuid,
            row.GetString("name"),
            row.GetString("type"),
            row.GetOptionalInteger("ofport"),
            row.GetOptionalInteger("ofport_request"),
            row.GetOptionalString("mac_in_use"),
            row.GetOptionalString("link_state"),
            row.GetOptionalString("admin_state"),
            row.GetOptionalString("error"),
            row.GetStringMap("external_ids"));
    }

    /// <summary>The bridge's ports ordered by name, or an empty list when the bridge does not exist.</summary>
    public async Task<IReadOnlyList<OvsPort>> ListPortsAsync(string bridge, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OvsdbOperationResult> results = await TransactAsync(
            cancellationToken,
            new SelectOperation("Bridge", [OvsdbCondition.NameIs(bridge)], ["ports"]),
            new SelectOperation("Port", [], ["_uuid", "name", "interfaces"]),
            new SelectOperation("Interface", [], ["_uuid", "name"])).ConfigureAwait(false);
        if (results[0].SelectedRows is not [OvsdbRow bridgeRow, ..])
        {
            return [];
        }

        var members = new HashSet<Guid>(bridgeRow.GetUuidSet("ports"));
        Dictionary<Guid, string> interfaceNames = results[2].SelectedRows.ToDictionary(r => r.Uuid, r => r.GetString("name"));
        return
        [
            .. results[1].SelectedRows
                .Where(p => members.Contains(p.Uuid))
                .Select(p => new OvsPort(
                    p.Uuid,
                    p.GetString("name"),
                    [.. p.GetUuidSet("interfaces").Select(i => interfaceNames.TryGetValue(i, out string? n) ? n : i.ToString())]))
                .OrderBy(p => p.Name, StringComparer.Ordinal),
        ];
    }

    private async Task<Guid> EnsureBridgeOnceAsync(OvsBridgeSpec spec, CancellationToken cancellationToken)
    {
        IReadOnlyList<OvsdbOperationResult> state = await TransactAsync(
            cancellationToken,
            new SelectOperation("Open_vSwitch", [], ["_uuid"]),
            new SelectOperation("Bridge", [OvsdbCondition.NameIs(spec.Name)], ["_uuid", "controller"]),
            new SelectOperation("Port", [OvsdbCondition.NameIs(spec.Name)], ["_uuid"]),
            new SelectOperation("Controller", [], ["_uuid", "target"])).ConfigureAwait(false);
        IReadOnlyList<OvsdbRow> root = state[0].SelectedRows;
        OvsdbRow? existing = state[1].SelectedRows is [OvsdbRow found, ..] ? found : null;
        bool hasLocalPort = state[2].SelectedRows.Count > 0;
        Dictionary<Guid, string> targets = state[3].SelectedRows.ToDictionary(r => r.Uuid, r => r.GetString("target"));

        var ops = new List<OvsdbOperation>();
        List<OvsdbCondition> rootWhere = [];
        if (root.Count == 0)
        {
            // A database fresh from ovsdb-tool create has no Open_vSwitch row until someone runs "ovs-vsctl init".
            ops.Add(new WaitOperation("Open_vSwitch", [], ["_uuid"], "==", []));
            ops.Add(new InsertOperation("Open_vSwitch", new Dictionary<string, OvsdbValue>()));
        }
        else
        {
            rootWhere.Add(OvsdbCondition.UuidIs(root[0].Uuid));
        }

        var row = new Dictionary<string, OvsdbValue>(StringComparer.Ordinal)
        {
            ["datapath_type"] = OvsdbValue.String(spec.DatapathType ?? string.Empty),
            ["fail_mode"] = OvsdbValue.Optional(spec.FailMode is null ? null : OvsdbValue.String(spec.FailMode)),
            ["protocols"] = OvsdbValue.StringSet(spec.Protocols),
        };

        IReadOnlyList<string> currentTargets = existing is null
            ? []
            : [.. existing.GetUuidSet("controller").Select(u => targets.TryGetValue(u, out string? t) ? t : string.Empty)];
        if (existing is null || !currentTargets.Order(StringComparer.Ordinal).SequenceEqual(spec.Controllers.Distinct().Order(StringComparer.Ordinal)))
        {
            List<OvsdbAtom> controllers = [];
            foreach ((string target, int i) in spec.Controllers.Distinct().Select((t, i) => (t, i)))
            {
                string name = $"pb_controller{i}";
                ops.Add(new InsertOperation("Controller", new Dictionary<string, OvsdbValue> { ["target"] = OvsdbValue.String(target) }, name));
                controllers.Add(OvsdbValue.NamedUuid(name));
            }

            // Controller rows are not root: the ones no longer referenced are deleted by the server at commit.
            row["controller"] = OvsdbValue.Set(controllers);
            if (existing is not null)
            {
                ops.Add(new WaitOperation(
                    "Bridge",
                    [OvsdbCondition.UuidIs(existing.Uuid)],
                    ["controller"],
                    "==",
                    [new Dictionary<string, OvsdbValue> { ["controller"] = existing.Get("controller") }]));
            }
        }

        OvsdbAtom bridgeRef;
        List<OvsdbMutation> bridgeMutations = [];
        if (existing is not null && spec.DatapathId is not null)
        {
            // Delete-then-insert of one key: other_config keys set by others survive.
            bridgeMutations.Add(OvsdbMutation.Delete("other_config", OvsdbValue.StringSet(["datapath-id"])));
            bridgeMutations.Add(OvsdbMutation.Insert("other_config", OvsdbValue.StringMap([new("datapath-id", spec.DatapathId.ToLowerInvariant())])));
        }

        if (!hasLocalPort)
        {
            AddLocalPortOps(ops, spec.Name);
        }

        if (existing is null)
        {
            ops.Add(new WaitOperation("Bridge", [OvsdbCondition.NameIs(spec.Name)], ["name"], "==", []));
            row["name"] = OvsdbValue.String(spec.Name);
            row["ports"] = hasLocalPort ? OvsdbValue.EmptySet : OvsdbValue.Set(OvsdbValue.NamedUuid(LocalPortName));
            if (spec.DatapathId is not null)
            {
                row["other_config"] = OvsdbValue.StringMap([new("datapath-id", spec.DatapathId.ToLowerInvariant())]);
            }

            ops.Add(new InsertOperation("Bridge", row, "pb_bridge"));
            bridgeRef = OvsdbValue.NamedUuid("pb_bridge");
        }
        else
        {
            ops.Add(new UpdateOperation("Bridge", [OvsdbCondition.UuidIs(existing.Uuid)], row));
            if (!hasLocalPort)
            {
                bridgeMutations.Add(OvsdbMutation.Insert("ports", OvsdbValue.Set(OvsdbValue.NamedUuid(LocalPortName))));
            }

            if (bridgeMutations.Count > 0)
            {
                ops.Add(new MutateOperation("Bridge", [OvsdbCondition.UuidIs(existing.Uuid)], bridgeMutations));
            }

            bridgeRef = OvsdbValue.Uuid(existing.Uuid);
        }

        // Set insert is a no-op for an element already present, so re-linking is safe and never drops other bridges.
        ops.Add(new MutateOperation("Open_vSwitch", rootWhere, [OvsdbMutation.Insert("bridges", OvsdbValue.Set(bridgeRef))]));
        ops.Add(new CommentOperation($"patchbay: ensure bridge {spec.Name}"));

        IReadOnlyList<OvsdbOperationResult> results = await TransactAsync(cancellationToken, [.. ops]).ConfigureAwait(false);
        return existing?.Uuid ?? results[ops.FindIndex(o => o is InsertOperation { Table: "Bridge" })].InsertedUuid;
    }

    private static void AddLocalPortOps(List<OvsdbOperation> ops, string bridgeName)
    {
        // The bridge's own port and internal interface carry its name, as ovs-vsctl add-br creates them.
        ops.Add(new InsertOperation(
            "Interface",
            new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String(bridgeName), ["type"] = OvsdbValue.String("internal") },
            "pb_local_interface"));
        ops.Add(new InsertOperation(
            "Port",
            new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String(bridgeName), ["interfaces"] = OvsdbValue.Set(OvsdbValue.NamedUuid("pb_local_interface")) },
            LocalPortName));
    }

    private async Task<Guid> AddPortOnceAsync(
        string bridge,
        string portName,
        string interfaceType,
        IReadOnlyDictionary<string, string> externalIds,
        int? ofportRequest,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<OvsdbOperationResult> state = await TransactAsync(
            cancellationToken,
            new SelectOperation("Bridge", [OvsdbCondition.NameIs(bridge)], ["_uuid"]),
            new SelectOperation("Port", [OvsdbCondition.NameIs(portName)], ["_uuid"])).ConfigureAwait(false);
        if (state[0].SelectedRows is not [OvsdbRow bridgeRow, ..])
        {
            throw new InvalidOperationException($"bridge {bridge} does not exist");
        }

        OvsdbRow? port = state[1].SelectedRows is [OvsdbRow found, ..] ? found : null;
        OvsdbCondition isBridge = OvsdbCondition.UuidIs(bridgeRow.Uuid);
        var ops = new List<OvsdbOperation>();
        OvsdbAtom portRef;
        if (port is null)
        {
            var interfaceRow = new Dictionary<string, OvsdbValue>(StringComparer.Ordinal)
            {
                ["name"] = OvsdbValue.String(portName),
                ["type"] = OvsdbValue.String(interfaceType),
                ["external_ids"] = OvsdbValue.StringMap(externalIds),
            };
            if (ofportRequest is int request)
            {
                interfaceRow["ofport_request"] = OvsdbValue.Integer(request);
            }

            ops.Add(new WaitOperation("Port", [OvsdbCondition.NameIs(portName)], ["name"], "==", []));
            ops.Add(new InsertOperation("Interface", interfaceRow, "pb_interface"));
            ops.Add(new InsertOperation(
                "Port",
                new Dictionary<string, OvsdbValue> { ["name"] = OvsdbValue.String(portName), ["interfaces"] = OvsdbValue.Set(OvsdbValue.NamedUuid("pb_interface")) },
                "pb_port"));
            portRef = OvsdbValue.NamedUuid("pb_port");
        }
        else
        {
            var interfaceRow = new Dictionary<string, OvsdbValue>(StringComparer.Ordinal) { ["type"] = OvsdbValue.String(interfaceType) };
            if (ofportRequest is int request)
            {
                interfaceRow["ofport_request"] = OvsdbValue.Integer(request);
            }

            ops.Add(new UpdateOperation("Interface", [OvsdbCondition.NameIs(portName)], interfaceRow));
            if (externalIds.Count > 0)
            {
                ops.Add(new MutateOperation(
                    "Interface",
                    [OvsdbCondition.NameIs(portName)],
                    [OvsdbMutation.Delete("external_ids", OvsdbValue.StringSet(externalIds.Keys)), OvsdbMutation.Insert("external_ids", OvsdbValue.StringMap(externalIds))]));
            }

            portRef = OvsdbValue.Uuid(port.Uuid);

            // A port belongs to one bridge: take it off any other before linking it here.
            ops.Add(new MutateOperation(
                "Bridge",
                [OvsdbCondition.Includes("ports", OvsdbValue.Set(portRef)), OvsdbCondition.NotEqual("_uuid", OvsdbValue.Uuid(bridgeRow.Uuid))],
                [OvsdbMutation.Delete("ports", OvsdbValue.Set(portRef))]));
        }

        ops.Add(new MutateOperation("Bridge", [isBridge], [OvsdbMutation.Insert("ports", OvsdbValue.Set(portRef))]));
        ops.Add(new CommentOperation($"patchbay: add port {portName} to {bridge}"));
        IReadOnlyList<OvsdbOperationResult> results = await TransactAsync(cancellationToken, [.. ops]).ConfigureAwait(false);
        return port?.Uuid ?? results[2].InsertedUuid;
    }

    private Task<IReadOnlyList<OvsdbOperationResult>> TransactAsync(CancellationToken cancellationToken, params OvsdbOperation[] operations) =>
        _client.TransactAsync(DatabaseName, operations, cancellationToken);

    /// <summary>A "wait" that times out means another writer changed the rows between our read and our write: read again.</summary>
    private static async Task<T> RetryOnRaceAsync<T>(Func<Task<T>> attempt)
    {
        for (int i = 1; ; i++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (OvsdbException ex) when (i < Attempts && ex.Kind == OvsdbErrorKind.Operation && ex.Error == "timed out")
            {
                await Task.Delay(10 * i).ConfigureAwait(false);
            }
        }
    }
}
