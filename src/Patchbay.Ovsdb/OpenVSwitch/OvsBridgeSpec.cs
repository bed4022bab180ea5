// The desired state of one OVS bridge and the facts read back about interfaces and ports.
namespace Patchbay.Ovsdb.OpenVSwitch;

/// <summary>
/// What <see cref="OpenVSwitchDb.EnsureBridgeAsync"/> makes true. Null <see cref="DatapathType"/> and
/// <see cref="FailMode"/> mean OVS's defaults ("system", "standalone"); null <see cref="DatapathId"/> leaves
/// other_config:datapath-id alone.
/// </summary>
public sealed record OvsBridgeSpec(string Name)
{
    /// <summary>"netdev" for the userspace datapath, "system" (or null) for the kernel one.</summary>
    public string? DatapathType { get; init; }

    /// <summary>"secure" (no flows without a controller) or "standalone".</summary>
    public string? FailMode { get; init; }

    /// <summary>OpenFlow versions, e.g. "OpenFlow13".</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>Exactly 16 hex digits, stored as other_config:datapath-id.</summary>
    public string? DatapathId { get; init; }

    /// <summary>Controller targets in OVS syntax ("unix:/path", "tcp:IP:PORT", "ssl:IP:PORT"); the bridge gets exactly these.</summary>
    public IReadOnlyList<string> Controllers { get; init; } = [];
}

/// <summary>One Interface row. <see cref="OfPort"/> is null until ovs-vswitchd assigns it, -1 if it failed to.</summary>
public sealed record OvsInterface(
    Guid Uuid,
    string Name,
    string Type,
    long? OfPort,
    long? OfPortRequest,
    string? MacInUse,
    string? LinkState,
    string? AdminState,
    string? Error,
    IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>One Port row of a bridge with the names of its interfaces.</summary>
public sealed record OvsPort(Guid Uuid, string Name, IReadOnlyList<string> Interfaces);
