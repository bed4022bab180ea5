// The network driver verbs: networks map to Patchbay networks (created, or found by the patchbay.network option so that
// every Docker host of a local-scope network lands on the same one), endpoints to Patchbay endpoints on this host, and
// Join/Leave to a veth pair on the bridge.
using System.Net;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Docker;

public sealed partial class DockerDriver
{
    /// <summary>The option key under which Docker passes the -o key=value pairs of `docker network create`.</summary>
    public const string GenericOptions = "com.docker.network.generic";

    /// <summary>The option key under which Docker passes the -p mappings of a container.</summary>
    public const string PortMapOption = "com.docker.network.portmap";

    /// <summary>The name prefix Docker gives the interface in the container (eth → eth0, eth1, ...).</summary>
    public const string ContainerInterfacePrefix = "eth";

    /// <summary>
    /// Scope local: Docker keeps each host's network to itself and needs no cluster store; the controller joins the hosts,
    /// because every host's CreateNetwork with the same patchbay.network lands on one Patchbay network. Connectivity is global.
    /// </summary>
    public static NetworkCapabilitiesResponse Capabilities { get; } = new("local", "global");

    public Task<DockerResponse> CreateNetworkAsync(CreateNetworkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(CreateNetworkAsync), async () =>
        {
            string networkId = RequireId(request.NetworkID, "NetworkID");
            if (request.IPv6Data is { Count: > 0 })
            {
                throw new DockerDriverException("Patchbay networks are IPv4 only: create the network without --ipv6 and without an IPv6 subnet");
            }

            if (request.IPv4Data is not [IpamData ipv4] || string.IsNullOrEmpty(ipv4.Pool))
            {
                throw new DockerDriverException($"a Patchbay network has exactly one IPv4 subnet; Docker sent {request.IPv4Data?.Count ?? 0} IPv4 pools");
            }

            IReadOnlyDictionary<string, string> generic = ReadGeneric(request.Options);
            string name = generic.GetValueOrDefault(NetworkOption) ?? "docker-" + Short(networkId);
            string? tenant = generic.GetValueOrDefault(TenantOption);
            string subnet = NormalizeSubnet(ipv4.Pool);
            string? gateway = string.IsNullOrEmpty(ipv4.Gateway) ? null : StripPrefix(ipv4.Gateway);
            Dictionary<string, string?> link = new(StringComparer.Ordinal) { [NetworkLinkPrefix + networkId] = _host };

            NetworkView? existing = await _model.FindNetworkAsync(name, cancellationToken);
            bool created = false;
            if (existing is null)
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [NetworkLinkPrefix + networkId] = _host, [CreatedLabel] = "true" };
                try
                {
                    existing = await _model.CreateNetworkAsync(new NetworkCreate(name, tenant, subnet, gateway, labels), cancellationToken);
                    created = true;
                }
                catch (PatchbayApiException e) when (e.Status == HttpStatusCode.Conflict)
                {
                    // Another Docker host created it between our read and our create: map to it like any existing network.
                    existing = await _model.FindNetworkAsync(name, cancellationToken) ?? throw new DockerDriverException($"the Patchbay controller refused network '{name}': {e.Detail ?? e.Message}", e);
                }
            }

            if (!created)
            {
                CheckSame(existing, tenant, subnet, gateway);
                await _model.PatchNetworkLabelsAsync(name, link, cancellationToken);
            }

            _networks[networkId] = name;
            DockerLog.NetworkMapped(_logger, networkId, name, created);
            return new DockerResponse();
        }, cancellationToken);
    }

    public Task<DockerResponse> DeleteNetworkAsync(NetworkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(DeleteNetworkAsync), async () =>
        {
            string networkId = RequireId(request.NetworkID, "NetworkID");
            if (await FindMappedNetworkAsync(networkId, cancellationToken) is not NetworkView network)
            {
                return new DockerResponse();
            }

            NetworkView unlinked = await _model.PatchNetworkLabelsAsync(network.Name, new Dictionary<string, string?> { [NetworkLinkPrefix + networkId] = null }, cancellationToken);
            _networks.Remove(networkId);
            await DeleteIfUnusedAsync(unlinked, cancellationToken);
            return new DockerResponse();
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a network the driver created once no Docker network maps to it and it has no endpoints; otherwise keeps
    /// it and says why. Reservations (auxiliary addresses) released after DeleteNetwork are why ReleasePool asks again.
    /// </summary>
    private async Task DeleteIfUnusedAsync(NetworkView network, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> labels = network.Labels ?? new Dictionary<string, string>();
        if (!labels.ContainsKey(CreatedLabel))
        {
            DockerLog.NetworkKept(_logger, network.Name, "it existed before Docker used it");
        }
        else if (labels.Keys.Any(k => k.StartsWith(NetworkLinkPrefix, StringComparison.Ordinal)))
        {
            DockerLog.NetworkKept(_logger, network.Name, "Docker networks still use it");
        }
        else
        {
            try
            {
                await IgnoreNotFoundAsync(() => _model.DeleteNetworkAsync(network.Name, cancellationToken));
            }
            catch (PatchbayApiException e) when (e.Status == HttpStatusCode.Conflict)
            {
                DockerLog.NetworkKept(_logger, network.Name, e.Detail ?? "it still has endpoints");
            }
        }
    }

    public Task<CreateEndpointResponse> CreateEndpointAsync(CreateEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(CreateEndpointAsync), async () =>
        {
            string endpointId = RequireId(request.EndpointID, "EndpointID");
            NetworkView network = await MappedNetworkAsync(request.NetworkID, cancellationToken);
            EndpointInterface wanted = request.Interface ?? new EndpointInterface();
            if (!string.IsNullOrEmpty(wanted.AddressIPv6))
            {
                throw new DockerDriverException("Patchbay endpoints are IPv4 only: Docker asked for IPv6 address " + wanted.AddressIPv6);
            }

            if (string.IsNullOrEmpty(wanted.Address))
            {
                throw new DockerDriverException("Docker gave the endpoint no IPv4 address (Interface.Address): use an IPAM driver that assigns one (patchbay or default), not 'null'");
            }

            string ip = StripPrefix(wanted.Address);
            string? mac = string.IsNullOrEmpty(wanted.MacAddress) ? null : wanted.MacAddress.ToLowerInvariant();
            EndpointView endpoint = await FindBoundEndpointAsync(endpointId, cancellationToken)
                ?? await BindEndpointAsync(network, endpointId, ip, mac, cancellationToken);
            if (endpoint.Ip != ip || (mac is not null && !string.Equals(endpoint.Mac, mac, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DockerDriverException($"endpoint {Short(endpointId)} exists as '{endpoint.Name}' with {endpoint.Ip} {endpoint.Mac}, not {ip} {mac ?? string.Empty}".TrimEnd());
            }

            // Docker takes from the driver only what it left empty: the MAC, when no --mac-address was given.
            return new CreateEndpointResponse(mac is null ? new EndpointInterface(MacAddress: endpoint.Mac) : null);
        }, cancellationToken);
    }

    public Task<DockerResponse> DeleteEndpointAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(DeleteEndpointAsync), async () =>
        {
            string endpointId = RequireId(request.EndpointID, "EndpointID");
            if (await FindBoundEndpointAsync(endpointId, cancellationToken) is EndpointView endpoint)
            {
                await _links.UnplugAsync(endpoint.Name, cancellationToken);
                await IgnoreNotFoundAsync(() => _model.DeleteEndpointAsync(endpoint.Name, cancellationToken));
            }

            return new DockerResponse();
        }, cancellationToken);
    }

    public Task<EndpointInfoResponse> EndpointOperInfoAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(EndpointOperInfoAsync), async () =>
        {
            string endpointId = RequireId(request.EndpointID, "EndpointID");
            EndpointView endpoint = await FindBoundEndpointAsync(endpointId, cancellationToken)
                ?? throw new DockerDriverException($"endpoint {Short(endpointId)} is not a Patchbay endpoint on host '{_host}'");
            var value = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["patchbay.endpoint"] = endpoint.Name,
                ["patchbay.tenant"] = endpoint.Tenant,
                ["patchbay.network"] = endpoint.Network,
                ["patchbay.ip"] = endpoint.Ip,
                ["patchbay.mac"] = endpoint.Mac,
                ["patchbay.host"] = endpoint.Host,
            };
            if (endpoint.OvsPort is uint port)
            {
                value["patchbay.ovs-port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new EndpointInfoResponse(value);
        }, cancellationToken);
    }

    public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(JoinAsync), async () =>
        {
            string endpointId = RequireId(request.EndpointID, "EndpointID");
            RequireId(request.NetworkID, "NetworkID");
            EndpointView endpoint = await FindBoundEndpointAsync(endpointId, cancellationToken)
                ?? throw new DockerDriverException($"endpoint {Short(endpointId)} was never created on host '{_host}' (CreateEndpoint comes before Join)");
            DockerLink link = await _links.PlugAsync(endpoint.Name, endpoint.Mac, cancellationToken);
            await _model.SetEndpointPortAsync(endpoint.Name, link.OvsPort, cancellationToken);
            DockerLog.Joined(_logger, endpointId, endpoint.Name, link.SrcName, link.OvsPort);

            // The gateway is Patchbay's virtual one (ARP answered by the controller): the default route goes there, and
            // Docker must not add its docker_gwbridge interface beside it.
            return new JoinResponse(new InterfaceName(link.SrcName, ContainerInterfacePrefix), endpoint.Gateway, [], DisableGatewayService: true);
        }, cancellationToken);
    }

    public Task<DockerResponse> LeaveAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(LeaveAsync), async () =>
        {
            string endpointId = RequireId(request.EndpointID, "EndpointID");
            if (await FindBoundEndpointAsync(endpointId, cancellationToken) is EndpointView endpoint)
            {
                await _links.UnplugAsync(endpoint.Name, cancellationToken);
            }

            return new DockerResponse();
        }, cancellationToken);
    }

    /// <summary>
    /// Publishing ports (-p) is refused with the reason rather than ignored: nothing on a Patchbay network listens on the
    /// host's addresses. Without -p there is nothing to program.
    /// </summary>
    public static DockerResponse ProgramExternalConnectivity(ExternalConnectivityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options is not null && request.Options.TryGetValue(PortMapOption, out JsonElement ports) && ports.ValueKind == JsonValueKind.Array && ports.GetArrayLength() > 0)
        {
            return new DockerResponse("the patchbay driver does not publish container ports on the Docker host (-p/--publish); reach the container at its Patchbay address");
        }

        return new DockerResponse();
    }

    /// <summary>Finds the address Patchbay IPAM reserved for this endpoint and binds it, or creates the endpoint with Docker's address.</summary>
    private async Task<EndpointView> BindEndpointAsync(NetworkView network, string endpointId, string ip, string? mac, CancellationToken cancellationToken)
    {
        IReadOnlyList<EndpointView> inNetwork = await _model.ListEndpointsAsync(network.Name, null, null, cancellationToken);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [EndpointLabel] = endpointId };
        if (inNetwork.FirstOrDefault(e => e.Ip == ip) is not EndpointView holder)
        {
            return await _model.CreateEndpointAsync(new EndpointCreate("docker-" + Short(endpointId), network.Name, _host, Ip: ip, Mac: mac, Labels: labels), cancellationToken);
        }

        if (!IsReservation(holder))
        {
            throw new DockerDriverException($"address {ip} in network '{network.Name}' is held by endpoint '{holder.Name}' on host '{holder.Host}'");
        }

        if (mac is not null && !string.Equals(holder.Mac, mac, StringComparison.OrdinalIgnoreCase))
        {
            // --mac-address: the reservation took a Patchbay MAC; hand its address over to an endpoint with the one asked for.
            await _model.DeleteEndpointAsync(holder.Name, cancellationToken);
            return await _model.CreateEndpointAsync(new EndpointCreate(holder.Name, network.Name, _host, Ip: ip, Mac: mac, Labels: labels), cancellationToken);
        }

        return await _model.PatchEndpointLabelsAsync(holder.Name, new Dictionary<string, string?> { [EndpointLabel] = endpointId, [IpamLabel] = null }, cancellationToken);
    }

    private bool IsReservation(EndpointView endpoint) =>
        string.Equals(endpoint.Host, _host, StringComparison.Ordinal)
        && endpoint.Labels.TryGetValue(IpamLabel, out string? value) && value == Reserved
        && !endpoint.Labels.ContainsKey(EndpointLabel);

    private static void CheckSame(NetworkView existing, string? tenant, string subnet, string? gateway)
    {
        if (existing.Subnet != subnet)
        {
            throw new DockerDriverException($"Patchbay network '{existing.Name}' has subnet {existing.Subnet}, Docker asked for {subnet}: use --subnet {existing.Subnet}");
        }

        if (tenant is not null && existing.Tenant != tenant)
        {
            throw new DockerDriverException($"Patchbay network '{existing.Name}' belongs to tenant '{existing.Tenant}', not '{tenant}'");
        }

        if (gateway is not null && existing.Gateway != gateway)
        {
            throw new DockerDriverException($"Patchbay network '{existing.Name}' has gateway {existing.Gateway}, Docker asked for {gateway}: use --gateway {existing.Gateway} or leave it out with --ipam-driver patchbay");
        }
    }

    /// <summary>The -o pairs: Docker sends them as an object of strings under com.docker.network.generic.</summary>
    private static Dictionary<string, string> ReadGeneric(IReadOnlyDictionary<string, JsonElement>? options)
    {
        var generic = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options is null || !options.TryGetValue(GenericOptions, out JsonElement element) || element.ValueKind != JsonValueKind.Object)
        {
            return generic;
        }

        foreach (JsonProperty property in element.EnumerateObject())
        {
            generic[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return generic;
    }
}
