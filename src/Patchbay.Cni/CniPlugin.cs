// The verbs: ADD, DEL and CHECK of one attachment, GC of a network's stale attachments, STATUS and VERSION.
// Every failure leaves as a CniException and is printed as the spec's error JSON with exit code 1.
using System.Collections;
using System.Net;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Cni;

public sealed class CniPlugin
{
    /// <summary>How long one verb may wait for the agent (which waits for the controller).</summary>
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(30);

    private const string FallbackVersion = "1.1.0";

    private readonly INetnsInspector _inspector;

    public CniPlugin(INetnsInspector inspector)
    {
        _inspector = inspector;
    }

    /// <summary>Runs one invocation: environment and stdin in, the result or error JSON out; returns the exit code.</summary>
    public async Task<int> RunAsync(IDictionary environment, TextReader stdin, TextWriter stdout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        string version = FallbackVersion;
        try
        {
            CniEnvironment env = CniEnvironment.Parse(environment);
            string input = await ReadInputAsync(stdin, cancellationToken);
            if (string.Equals(env.Command, "VERSION", StringComparison.Ordinal))
            {
                await stdout.WriteAsync(CniOutput.Version(NetworkConfig.RequestedVersion(input) ?? FallbackVersion));
                return 0;
            }

            version = SafeRequestedVersion(input) ?? FallbackVersion;
            NetworkConfig config = NetworkConfig.Parse(input, env.Args);
            version = config.CniVersion;
            string? output = env.Command switch
            {
                "ADD" => await AddAsync(env, config, cancellationToken),
                "DEL" => await DeleteAsync(env, config, cancellationToken),
                "CHECK" => await CheckAsync(env, config, cancellationToken),
                "GC" => await CollectAsync(config, cancellationToken),
                "STATUS" => await StatusAsync(config, cancellationToken),
                _ => throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_COMMAND '{env.Command}' is not a CNI verb", "expected one of ADD, DEL, CHECK, GC, STATUS, VERSION"),
            };
            if (output is not null)
            {
                await stdout.WriteAsync(output);
            }

            return 0;
        }
        catch (CniException e)
        {
            await stdout.WriteAsync(CniOutput.Error(version, e));
            return 1;
        }
    }

    private static async Task<string> AddAsync(CniEnvironment env, NetworkConfig config, CancellationToken cancellationToken)
    {
        (string containerId, string ifName) = env.RequireAttachment(needsNetns: true);
        string netns = env.Netns!;
        if (!File.Exists(netns))
        {
            throw new CniException(CniErrorCode.UnknownContainer, $"network namespace {netns} does not exist", $"container {containerId}");
        }

        var request = new PlugRequest(EndpointNames.For(containerId, ifName), config.Network, netns, ifName, config.Tenant, Labels: config.Labels.Count > 0 ? config.Labels : null);
        PlugResult plugged = await CallAgentAsync(config, agent => agent.PlugAsync(request, cancellationToken));
        return CniOutput.Result(config.CniVersion, plugged, ifName, netns, config.Dns);
    }

    /// <summary>Unplugs whatever the attachment left; succeeds for attachments never added and namespaces already gone.</summary>
    private static async Task<string?> DeleteAsync(CniEnvironment env, NetworkConfig config, CancellationToken cancellationToken)
    {
        (string containerId, string ifName) = env.RequireAttachment(needsNetns: false);
        string endpoint = EndpointNames.For(containerId, ifName);
        await CallAgentAsync(config, async agent =>
        {
            await agent.UnplugAsync(endpoint, cancellationToken);
            return true;
        });
        return null;
    }

    /// <summary>The endpoint must be plugged on this host, and the namespace must hold its interface, MAC, address and default route.</summary>
    private async Task<string?> CheckAsync(CniEnvironment env, NetworkConfig config, CancellationToken cancellationToken)
    {
        (string containerId, string ifName) = env.RequireAttachment(needsNetns: true);
        string netns = env.Netns!;
        string name = EndpointNames.For(containerId, ifName);
        IReadOnlyList<PlugResult> plugged = await CallAgentAsync(config, agent => agent.ListAsync(cancellationToken));
        EndpointView endpoint = plugged.FirstOrDefault(p => string.Equals(p.Endpoint.Name, name, StringComparison.Ordinal))?.Endpoint
            ?? throw new CniException(CniErrorCode.UnknownContainer, $"container {containerId} ({ifName}) has no Patchbay endpoint on this host", $"endpoint {name} is not plugged");
        if (!File.Exists(netns))
        {
            throw new CniException(CniErrorCode.UnknownContainer, $"network namespace {netns} does not exist", $"container {containerId}");
        }

        string address = $"{endpoint.Ip}/{endpoint.PrefixLength}";
        InterfaceState state = await _inspector.InspectAsync(netns, ifName, cancellationToken)
            ?? throw CheckFailed($"interface {ifName} is missing in {netns}");
        if (!string.Equals(state.Mac, endpoint.Mac, StringComparison.OrdinalIgnoreCase))
        {
            throw CheckFailed($"interface {ifName} has MAC {state.Mac}, expected {endpoint.Mac}");
        }

        if (!state.Addresses.Contains(address, StringComparer.Ordinal))
        {
            throw CheckFailed($"interface {ifName} lacks address {address} (has {Listed(state.Addresses)})");
        }

        if (!state.DefaultGateways.Contains(endpoint.Gateway, StringComparer.Ordinal))
        {
            throw CheckFailed($"no default route via {endpoint.Gateway} on {ifName} (gateways: {Listed(state.DefaultGateways)})");
        }

        if (config.PrevResult is JsonElement previous)
        {
            CheckPreviousResult(previous, address);
        }

        return null;
    }

    /// <summary>GC (1.1.0): unplugs this network's plugin-made endpoints whose attachment is not in cni.dev/valid-attachments.</summary>
    private static async Task<string?> CollectAsync(NetworkConfig config, CancellationToken cancellationToken)
    {
        // Without the list every attachment would look stale: refuse rather than unplug the whole network.
        IReadOnlyList<(string ContainerId, string IfName)> attachments = config.ValidAttachments
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: GC needs 'cni.dev/valid-attachments'", "pass an empty list to remove every attachment of this network");
        var valid = attachments.Select(a => EndpointNames.For(a.ContainerId, a.IfName)).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<PlugResult> plugged = await CallAgentAsync(config, agent => agent.ListAsync(cancellationToken));
        var stale = plugged
            .Select(p => p.Endpoint)
            .Where(e => e.Name.StartsWith(EndpointNames.Prefix, StringComparison.Ordinal)
                && string.Equals(e.Network, config.Network, StringComparison.Ordinal)
                && (config.Tenant is null || string.Equals(e.Tenant, config.Tenant, StringComparison.Ordinal))
                && !valid.Contains(e.Name))
            .Select(e => e.Name)
            .ToList();
        foreach (string endpoint in stale)
        {
            await CallAgentAsync(config, async agent =>
            {
                await agent.UnplugAsync(endpoint, cancellationToken);
                return true;
            });
        }

        return null;
    }

    /// <summary>STATUS (1.1.0): ready when the agent answers its health check; code 50 otherwise.</summary>
    private static async Task<string?> StatusAsync(NetworkConfig config, CancellationToken cancellationToken)
    {
        bool healthy = await new AgentClient(config.AgentSocket, AgentTimeout).IsHealthyAsync(cancellationToken);
        return healthy
            ? null
            : throw new CniException(CniErrorCode.PluginNotAvailable, $"the Patchbay agent at {config.AgentSocket} is not available", "start the agent (patchbay agent) or set agentSocket in the network configuration");
    }

    private static void CheckPreviousResult(JsonElement previous, string address)
    {
        if (!previous.TryGetProperty("ips", out JsonElement ips) || ips.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (JsonElement ip in ips.EnumerateArray())
        {
            if (ip.TryGetProperty("address", out JsonElement recorded) && recorded.GetString() is string text && !string.Equals(text, address, StringComparison.Ordinal))
            {
                throw CheckFailed($"prevResult has address {text}, the endpoint has {address}");
            }
        }
    }

    private static async Task<T> CallAgentAsync<T>(NetworkConfig config, Func<AgentClient, Task<T>> call)
    {
        try
        {
            return await call(new AgentClient(config.AgentSocket, AgentTimeout));
        }
        catch (AgentUnavailableException e)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"the Patchbay agent at {config.AgentSocket} does not answer", e.Message, e);
        }
        catch (AgentRefusedException e) when (e.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"patchbay: {e.Title}: {e.Detail}", $"the agent answered {(int)e.Status}", e);
        }
        catch (AgentRefusedException e)
        {
            throw new CniException(CniErrorCode.AgentRefused, $"patchbay: {e.Title}: {e.Detail}", $"the agent answered {(int)e.Status}", e);
        }
    }

    private static async Task<string> ReadInputAsync(TextReader stdin, CancellationToken cancellationToken)
    {
        try
        {
            return await stdin.ReadToEndAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IoFailure, "could not read the network configuration from stdin", e.Message, e);
        }
    }

    /// <summary>The cniVersion to answer errors with, when the config is readable enough to say.</summary>
    private static string? SafeRequestedVersion(string input)
    {
        try
        {
            return NetworkConfig.RequestedVersion(input);
        }
        catch (CniException)
        {
            return null;
        }
    }

    private static CniException CheckFailed(string message) => new(CniErrorCode.CheckFailed, message);

    private static string Listed(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}
