// The IPAM driver verbs, with the controller's IPAM behind them. A pool is a subnet (and, with --ipam-opt
// patchbay.tenant, the tenant whose network holds it); its id spells both, so pools need no state. The gateway is the
// Patchbay network's (or the subnet's first host address before the network exists); an endpoint address is held
// at the controller by an endpoint labelled "docker.ipam=reserved" until CreateEndpoint binds it.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Docker;

public sealed partial class DockerDriver
{
    /// <summary>Docker's RequestAddress option that marks the gateway's request, and its value.</summary>
    public const string RequestAddressType = "RequestAddressType";

    public const string GatewayAddressType = "com.docker.network.gateway";

    /// <summary>The option a MAC comes in, when Docker knows one before the endpoint exists.</summary>
    public const string MacAddressOption = "com.docker.network.endpoint.macaddress";

    public static AddressSpacesResponse AddressSpaces { get; } = new("patchbay-local", "patchbay-global");

    /// <summary>Docker need not generate MACs (Patchbay allocates them) nor replay requests after a restart (pools are stateless).</summary>
    public static IpamCapabilitiesResponse IpamCapabilities { get; } = new(RequiresMACAddress: false, RequiresRequestReplay: false);

    private const string PoolPrefix = "patchbay:";

    public static RequestPoolResponse RequestPool(RequestPoolRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.V6)
        {
            throw new DockerDriverException("Patchbay IPAM is IPv4 only: create the network without --ipv6");
        }

        if (string.IsNullOrEmpty(request.Pool))
        {
            throw new DockerDriverException("Patchbay IPAM needs the subnet: docker network create --ipam-driver patchbay --subnet 10.1.0.0/24 ...");
        }

        if (!string.IsNullOrEmpty(request.SubPool))
        {
            throw new DockerDriverException($"Patchbay IPAM allocates from the whole subnet: --ip-range {request.SubPool} is not supported");
        }

        string subnet = NormalizeSubnet(request.Pool);
        string tenant = request.Options?.GetValueOrDefault(TenantOption) ?? string.Empty;
        return new RequestPoolResponse(PoolPrefix + tenant + ":" + subnet, subnet, new Dictionary<string, string>());
    }

    public Task<RequestAddressResponse> RequestAddressAsync(RequestAddressRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(RequestAddressAsync), async () =>
        {
            (string? tenant, IPNetwork subnet) = ParsePool(request.PoolID);
            string? wanted = string.IsNullOrEmpty(request.Address) ? null : StripPrefix(request.Address);
            IReadOnlyList<NetworkView> networks = await NetworksWithSubnetAsync(tenant, subnet, cancellationToken);
            if (request.Options?.GetValueOrDefault(RequestAddressType) == GatewayAddressType)
            {
                string gateway = wanted ?? (networks.Count == 1 ? networks[0].Gateway : FirstHost(subnet));
                return new RequestAddressResponse(WithPrefix(gateway, subnet), new Dictionary<string, string>());
            }

            NetworkView network = networks.Count switch
            {
                1 => networks[0],
                0 => throw new DockerDriverException($"no Patchbay network has subnet {subnet}: the patchbay IPAM driver serves networks created with the patchbay network driver"),
                _ => throw new DockerDriverException($"networks {string.Join(", ", networks.Select(n => $"'{n.Name}' (tenant '{n.Tenant}')"))} all have subnet {subnet}: name the tenant with --ipam-opt {TenantOption}=TENANT"),
            };
            string? mac = request.Options?.GetValueOrDefault(MacAddressOption);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [IpamLabel] = Reserved };
            string name = "docker-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            EndpointView reserved = await _model.CreateEndpointAsync(new EndpointCreate(name, network.Name, _host, Ip: wanted, Mac: string.IsNullOrEmpty(mac) ? null : mac, Labels: labels), cancellationToken);
            return new RequestAddressResponse(WithPrefix(reserved.Ip, subnet), new Dictionary<string, string>());
        }, cancellationToken);
    }

    /// <summary>Frees an address still only reserved; an address whose endpoint Docker created goes with DeleteEndpoint.</summary>
    public Task<DockerResponse> ReleaseAddressAsync(ReleaseAddressRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(ReleaseAddressAsync), async () =>
        {
            (string? tenant, IPNetwork subnet) = ParsePool(request.PoolID);
            if (string.IsNullOrEmpty(request.Address))
            {
                throw new DockerDriverException("'Address' is required");
            }

            string ip = StripPrefix(request.Address);
            foreach (NetworkView network in await NetworksWithSubnetAsync(tenant, subnet, cancellationToken))
            {
                IReadOnlyList<EndpointView> mine = await _model.ListEndpointsAsync(network.Name, _host, $"{IpamLabel}={Reserved}", cancellationToken);
                foreach (EndpointView reservation in mine.Where(e => e.Ip == ip && IsReservation(e)))
                {
                    await IgnoreNotFoundAsync(() => _model.DeleteEndpointAsync(reservation.Name, cancellationToken));
                }
            }

            return new DockerResponse();
        }, cancellationToken);
    }

    /// <summary>
    /// Pools hold nothing; but Docker releases auxiliary addresses after DeleteNetwork, so a network the driver created
    /// and kept for their reservations is deleted here once nothing uses it.
    /// </summary>
    public Task<DockerResponse> ReleasePoolAsync(ReleasePoolRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SerializedAsync(nameof(ReleasePoolAsync), async () =>
        {
            (string? tenant, IPNetwork subnet) = ParsePool(request.PoolID);
            foreach (NetworkView network in await NetworksWithSubnetAsync(tenant, subnet, cancellationToken))
            {
                await DeleteIfUnusedAsync(network, cancellationToken);
            }

            return new DockerResponse();
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<NetworkView>> NetworksWithSubnetAsync(string? tenant, IPNetwork subnet, CancellationToken cancellationToken)
    {
        string text = subnet.ToString();
        return [.. (await _model.ListNetworksAsync(tenant, null, cancellationToken)).Where(n => n.Subnet == text)];
    }

    private static (string? Tenant, IPNetwork Subnet) ParsePool(string? poolId)
    {
        string[] parts = poolId?.Split(':') ?? [];
        if (parts.Length != 3 || parts[0] + ":" != PoolPrefix || !IPNetwork.TryParse(parts[2], out IPNetwork subnet))
        {
            throw new DockerDriverException($"'{poolId}' is not a pool of the patchbay IPAM driver (expected {PoolPrefix}TENANT:SUBNET)");
        }

        return (parts[1].Length == 0 ? null : parts[1], subnet);
    }

    /// <summary>"10.1.0.0/24" from Docker's pool text; refused unless it is an IPv4 subnet written at its base address.</summary>
    private static string NormalizeSubnet(string pool)
    {
        if (!IPNetwork.TryParse(pool, out IPNetwork subnet) || subnet.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !pool.StartsWith(subnet.BaseAddress + "/", StringComparison.Ordinal))
        {
            throw new DockerDriverException($"'{pool}' is not an IPv4 subnet (expected e.g. 10.1.0.0/24)");
        }

        return subnet.ToString();
    }

    /// <summary>"10.1.0.5" from "10.1.0.5/24" or "10.1.0.5"; refused unless it is an IPv4 address.</summary>
    private static string StripPrefix(string address)
    {
        int slash = address.IndexOf('/', StringComparison.Ordinal);
        string ip = slash < 0 ? address : address[..slash];
        if (!IPAddress.TryParse(ip, out IPAddress? parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new DockerDriverException($"'{address}' is not an IPv4 address");
        }

        return parsed.ToString();
    }

    private static string WithPrefix(string ip, IPNetwork subnet) => ip + "/" + subnet.PrefixLength.ToString(CultureInfo.InvariantCulture);

    private static string FirstHost(IPNetwork subnet)
    {
        Span<byte> bytes = stackalloc byte[4];
        subnet.BaseAddress.TryWriteBytes(bytes, out _);
        bytes[3]++;
        return new IPAddress(bytes).ToString();
    }
}
