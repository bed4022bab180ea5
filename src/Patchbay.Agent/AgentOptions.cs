// Everything `patchbay agent` is told on its command line, plus the timings tests shorten.
using System.Security.Cryptography;
using System.Text;

namespace Patchbay.Agent;

public sealed record AgentOptions
{
    /// <summary>The host's name at the controller (h1, ...).</summary>
    public required string Name { get; init; }

    /// <summary>The local ovsdb-server, "unix:PATH" or "tcp:HOST:PORT".</summary>
    public required string Ovsdb { get; init; }

    /// <summary>The controller's REST API, "unix:PATH" or "http://HOST:PORT".</summary>
    public required string ControllerApi { get; init; }

    /// <summary>The bridge's OpenFlow controller targets in OVS syntax ("unix:PATH", "tcp:IP:PORT").</summary>
    public IReadOnlyList<string> OpenFlowTargets { get; init; } = [];

    /// <summary>The interface into the underlay (a veth into the fabric in the lab).</summary>
    public required string Uplink { get; init; }

    public required string UnderlayIp { get; init; }

    /// <summary>The L2 segment the uplink is on: hosts on one segment talk in direct mode.</summary>
    public required string Segment { get; init; }

    /// <summary>The unix socket of the local API (plug, unplug).</summary>
    public required string SocketPath { get; init; }

    /// <summary>The unix socket of the Docker network and IPAM plugin (docs/docker.md); null serves none.</summary>
    public string? DockerSocketPath { get; init; }

    public string DatapathType { get; init; } = "netdev";

    /// <summary>16 hex digits; null derives one from <see cref="Name"/>.</summary>
    public string? DatapathId { get; init; }

    public string Bridge { get; init; } = "pb0";

    /// <summary>How often the host is registered again, so a restarted controller learns it at once.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between registration attempts while the controller does not answer.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// ovs-vswitchd's other_config:max-idle: how long an idle datapath flow stays cached. Well below the conversation
    /// idle timeout, so no stale cached flow outlives a conversation (see <see cref="Ovs.SwitchTuning"/>); 500 ms at least.
    /// </summary>
    public TimeSpan DatapathMaxIdle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The Controller rows' max_backoff: the longest pause between OVS's reconnect attempts (1 s at least).</summary>
    public TimeSpan ControllerMaxBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long ovs-vswitchd may take to give a new interface its OpenFlow port.</summary>
    public TimeSpan OfPortTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public string EffectiveDatapathId => DatapathId?.ToLowerInvariant() ?? DeriveDatapathId(Name);

    /// <summary>A stable datapath id from the host name: the first 8 bytes of its SHA-256, never all zeros.</summary>
    public static string DeriveDatapathId(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[7] |= 1;
        return Convert.ToHexStringLower(hash[..8]);
    }
}
