// `patchbay lab container add|rm`: a namespace container on one lab host, plugged and unplugged through that host's
// agent (POST /v1/plug, /v1/unplug: the path `lab up` and the CNI plugin use), and recorded in lab.json so
// `lab ls`, `lab exec` and `lab down` know it. To the controller it is an ordinary endpoint.
using Patchbay.Cli.Api;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Lab;

/// <summary>What `lab container add` asks for; null fields are left to the controller (tenant of the network, IPAM).</summary>
internal sealed record LabContainerRequest(string Name, string Host, string Network, string? Tenant, string? Ip, IReadOnlyDictionary<string, string> Labels);

internal static class LabContainers
{
    private const int MaxNameLength = 14;

    /// <summary>Container names become namespace names (LAB-NAME): short, lowercase letters, digits and dashes.</summary>
    public static string? ValidateName(string name) =>
        name.Length is >= 1 and <= MaxNameLength && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : $"container name '{name}' must be 1-{MaxNameLength} lowercase letters, digits or dashes, starting with a letter";

    /// <summary>Creates the namespace, plugs it through the host's agent, records it; returns the state with it.</summary>
    public static async Task<(LabState State, LabEndpoint Container)> AddAsync(LabState state, LabContainerRequest request, CancellationToken cancellationToken)
    {
        if (ValidateName(request.Name) is { } invalid)
        {
            throw new CliUserException(invalid);
        }

        var host = state.Hosts.FirstOrDefault(h => h.Name == request.Host)
            ?? throw new CliUserException($"lab '{state.Name}' has no host '{request.Host}' (hosts: {string.Join(", ", state.Hosts.Select(h => h.Name))})");
        var netnsName = $"{state.Name}-{request.Name}";

        // The lab's own namespaces (fabric, hosts) share the prefix: never let a container name reuse one.
        if (state.Containers.Any(c => c.Name == request.Name) || state.Hosts.Any(h => h.Name == request.Name || h.Netns == netnsName)
            || netnsName == state.FabricNetns || (await Netns.ListAsync(cancellationToken)).Contains(netnsName))
        {
            throw new CliUserException($"lab '{state.Name}' already has a container, host or namespace named '{request.Name}' ({netnsName})");
        }

        var netns = await Netns.CreateAsync(netnsName, cancellationToken);
        try
        {
            await netns.ExecAsync(["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"], cancellationToken: cancellationToken);
            await netns.ExecAsync(["sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"], cancellationToken: cancellationToken);
            using var agent = AgentApiClient.Create(host.AgentSocket, TimeSpan.FromSeconds(30));
            var plugged = await CallAgentAsync(host, () => agent.PlugAsync(
                new PlugRequest(request.Name, request.Network, netnsName, "eth0", request.Tenant, request.Ip, request.Labels.Count > 0 ? request.Labels : null),
                cancellationToken));
            var container = new LabEndpoint(request.Name, host.Name, netnsName, plugged.Endpoint.Ip, plugged.Endpoint.Mac, plugged.OvsPort);
            var updated = state with { Containers = [.. state.Containers, container] };
            HotPlugLab.Save(updated);
            return (updated, container);
        }
        catch
        {
            await Netns.DeleteAsync(netnsName, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Unplugs through the host's agent (which deletes the endpoint at the controller), removes the namespace and the record.</summary>
    public static async Task<LabState> RemoveAsync(LabState state, string name, CancellationToken cancellationToken)
    {
        var container = state.Containers.FirstOrDefault(c => c.Name == name)
            ?? throw new CliUserException($"lab '{state.Name}' has no container '{name}'");
        var host = state.Hosts.FirstOrDefault(h => h.Name == container.Host)
            ?? throw new CliUserException($"container '{name}' is on host '{container.Host}', which lab '{state.Name}' does not have");
        using (var agent = AgentApiClient.Create(host.AgentSocket, TimeSpan.FromSeconds(30)))
        {
            await CallAgentAsync(host, async () =>
            {
                await agent.UnplugAsync(name, cancellationToken);
                return true;
            });
        }

        await Netns.DeleteAsync(container.Netns, cancellationToken);
        var updated = state with { Containers = [.. state.Containers.Where(c => c.Name != name)] };
        HotPlugLab.Save(updated);
        return updated;
    }

    private static async Task<T> CallAgentAsync<T>(LabHost host, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PatchbayApiException e)
        {
            throw new CliUserException(e.Detail ?? e.Message);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException($"cannot reach the agent of {host.Name} at unix:{host.AgentSocket}: {e.Message} (is the lab up? see {host.AgentLog})");
        }
    }
}
