// Join/Leave's host plumbing, recorded instead of done: which endpoint got which veth (and MAC), which were removed.
using Patchbay.Agent.Docker;
using Patchbay.Agent.HostOs;

namespace Patchbay.Agent.Tests.Docker;

internal sealed class FakeDockerLinks : IDockerLinks
{
    private uint _nextPort = 1;

    /// <summary>Endpoints with a veth on the bridge now: name → (container-end MAC, port).</summary>
    public Dictionary<string, (string Mac, uint Port)> Plugged { get; } = new(StringComparer.Ordinal);

    public List<string> Unplugged { get; } = [];

    /// <summary>When set, every plug throws it, as a failing `ip` or OVSDB call would.</summary>
    public Exception? PlugFailure { get; set; }

    public Task<DockerLink> PlugAsync(string endpoint, string mac, CancellationToken cancellationToken)
    {
        if (PlugFailure is not null)
        {
            return Task.FromException<DockerLink>(PlugFailure);
        }

        if (!Plugged.TryGetValue(endpoint, out (string Mac, uint Port) link))
        {
            link = Plugged[endpoint] = (mac, _nextPort++);
        }

        return Task.FromResult(new DockerLink(HostNetwork.PeerInterfaceName(endpoint), link.Port));
    }

    public Task UnplugAsync(string endpoint, CancellationToken cancellationToken)
    {
        Plugged.Remove(endpoint);
        Unplugged.Add(endpoint);
        return Task.CompletedTask;
    }
}
