// The host side of Join and Leave: a veth pair whose host end is on the bridge (external_ids naming the endpoint, as
// the plug path does) and whose other end waits in the agent's namespace for Docker to move it into the sandbox.
using Patchbay.Agent.HostOs;
using Patchbay.Agent.Ovs;

namespace Patchbay.Agent.Docker;

/// <summary>The veth end Docker moves into the container, and the OpenFlow port of the end on the bridge.</summary>
public sealed record DockerLink(string SrcName, uint OvsPort);

public interface IDockerLinks
{
    /// <summary>Makes the pair exist (repeatable) with the container end's MAC set, and the host end on the bridge.</summary>
    Task<DockerLink> PlugAsync(string endpoint, string mac, CancellationToken cancellationToken);

    /// <summary>Removes the bridge port and the pair (either end, wherever Docker left it in the agent's namespace).</summary>
    Task UnplugAsync(string endpoint, CancellationToken cancellationToken);
}

public sealed class HostDockerLinks(HostBridge bridge) : IDockerLinks
{
    public async Task<DockerLink> PlugAsync(string endpoint, string mac, CancellationToken cancellationToken)
    {
        string hostSide = HostNetwork.HostInterfaceName(endpoint);
        string peer = HostNetwork.PeerInterfaceName(endpoint);
        if (!await HostNetwork.LinkExistsAsync(hostSide, cancellationToken))
        {
            if (await HostNetwork.LinkExistsAsync(peer, cancellationToken))
            {
                await ProcessRunner.RunAsync(["ip", "link", "del", "dev", peer], cancellationToken: cancellationToken);
            }

            await ProcessRunner.RunAsync(["ip", "link", "add", "name", hostSide, "type", "veth", "peer", "name", peer], cancellationToken: cancellationToken);
        }

        // Docker moves the peer and keeps its MAC; tx offload off travels with it (the userspace datapath needs it on both ends).
        if (await HostNetwork.LinkExistsAsync(peer, cancellationToken))
        {
            await ProcessRunner.RunAsync(["ip", "link", "set", "dev", peer, "address", mac], cancellationToken: cancellationToken);
            await HostNetwork.DisableTxOffloadAsync(peer, cancellationToken);
        }

        await ProcessRunner.RunAsync(["ip", "link", "set", "dev", hostSide, "up"], cancellationToken: cancellationToken);
        await HostNetwork.DisableTxOffloadAsync(hostSide, cancellationToken);
        uint port = await bridge.AttachEndpointAsync(endpoint, hostSide, cancellationToken);
        return new DockerLink(peer, port);
    }

    public async Task UnplugAsync(string endpoint, CancellationToken cancellationToken)
    {
        await bridge.DetachAsync(HostNetwork.HostInterfaceName(endpoint), cancellationToken);
        await HostNetwork.DeleteVethAsync(endpoint, cancellationToken);
    }
}
