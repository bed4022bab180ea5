// The JSON shapes of libnetwork's remote network driver and remote IPAM protocols, field for field as Docker sends and
// reads them (libnetwork drivers/remote/api and ipams/remote/api): PascalCase names, addresses as strings, IPv4 data
// with CIDR pools and gateways ("10.1.0.1/24"), request addresses without a prefix and answered addresses with one.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Patchbay.Agent.Docker;

/// <summary>Any answer that carries nothing but success, and the error answer { "Err": "..." }.</summary>
public sealed record DockerResponse(string? Err = null);

/// <summary>Plugin.Activate: the protocols this plugin speaks.</summary>
public sealed record ActivateResponse(IReadOnlyList<string> Implements);

/// <summary>NetworkDriver.GetCapabilities.</summary>
public sealed record NetworkCapabilitiesResponse(string Scope, string ConnectivityScope);

/// <summary>One IPv4 or IPv6 pool of a network as its IPAM driver handed it out.</summary>
public sealed record IpamData(string? AddressSpace, string? Pool, string? Gateway, IReadOnlyDictionary<string, string>? AuxAddresses = null);

/// <summary>
/// NetworkDriver.CreateNetwork. <see cref="Options"/> holds "com.docker.network.generic" (the -o key=value pairs) and
/// flags such as "com.docker.network.enable_ipv6".
/// </summary>
public sealed record CreateNetworkRequest(
    string? NetworkID,
    IReadOnlyDictionary<string, JsonElement>? Options,
    IReadOnlyList<IpamData>? IPv4Data,
    IReadOnlyList<IpamData>? IPv6Data);

public sealed record NetworkRequest(string? NetworkID);

/// <summary>The container interface: Docker fills what its IPAM gave; the driver may fill only what Docker left empty.</summary>
public sealed record EndpointInterface(string? Address = null, string? AddressIPv6 = null, string? MacAddress = null);

public sealed record CreateEndpointRequest(
    string? NetworkID,
    string? EndpointID,
    EndpointInterface? Interface,
    IReadOnlyDictionary<string, JsonElement>? Options);

public sealed record CreateEndpointResponse(EndpointInterface? Interface);

/// <summary>DeleteEndpoint, Leave, EndpointOperInfo.</summary>
public sealed record EndpointRequest(string? NetworkID, string? EndpointID);

public sealed record EndpointInfoResponse(IReadOnlyDictionary<string, string> Value);

public sealed record JoinRequest(string? NetworkID, string? EndpointID, string? SandboxKey, IReadOnlyDictionary<string, JsonElement>? Options);

/// <summary>The interface Docker moves into the sandbox (SrcName) and the prefix of its name there (eth → eth0).</summary>
public sealed record InterfaceName(string SrcName, string DstPrefix);

/// <summary>RouteType 0 is via <see cref="NextHop"/>, 1 is connected (on the interface).</summary>
public sealed record StaticRoute(string Destination, int RouteType, string? NextHop = null);

public sealed record JoinResponse(
    InterfaceName InterfaceName,
    string Gateway,
    IReadOnlyList<StaticRoute> StaticRoutes,
    bool DisableGatewayService);

/// <summary>ProgramExternalConnectivity and RevokeExternalConnectivity.</summary>
public sealed record ExternalConnectivityRequest(string? NetworkID, string? EndpointID, IReadOnlyDictionary<string, JsonElement>? Options);

/// <summary>DiscoverNew and DiscoverDelete (node discovery, 1; encryption keys, 2).</summary>
public sealed record DiscoveryRequest(int DiscoveryType, JsonElement? DiscoveryData);

/// <summary>IpamDriver.GetCapabilities.</summary>
public sealed record IpamCapabilitiesResponse(bool RequiresMACAddress, bool RequiresRequestReplay);

public sealed record AddressSpacesResponse(string LocalDefaultAddressSpace, string GlobalDefaultAddressSpace);

/// <summary>IpamDriver.RequestPool: Pool is the --subnet, SubPool the --ip-range, Options the --ipam-opt pairs.</summary>
public sealed record RequestPoolRequest(string? AddressSpace, string? Pool, string? SubPool, IReadOnlyDictionary<string, string>? Options, bool V6);

public sealed record RequestPoolResponse(string PoolID, string Pool, IReadOnlyDictionary<string, string> Data);

public sealed record ReleasePoolRequest(string? PoolID);

/// <summary>IpamDriver.RequestAddress: Address is a wanted address (no prefix) or empty; Options["RequestAddressType"] marks the gateway.</summary>
public sealed record RequestAddressRequest(string? PoolID, string? Address, IReadOnlyDictionary<string, string>? Options);

/// <summary>Address with its prefix length ("10.1.0.2/24").</summary>
public sealed record RequestAddressResponse(string Address, IReadOnlyDictionary<string, string> Data);

public sealed record ReleaseAddressRequest(string? PoolID, string? Address);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(DockerResponse))]
[JsonSerializable(typeof(ActivateResponse))]
[JsonSerializable(typeof(NetworkCapabilitiesResponse))]
[JsonSerializable(typeof(CreateNetworkRequest))]
[JsonSerializable(typeof(NetworkRequest))]
[JsonSerializable(typeof(CreateEndpointRequest))]
[JsonSerializable(typeof(CreateEndpointResponse))]
[JsonSerializable(typeof(EndpointRequest))]
[JsonSerializable(typeof(EndpointInfoResponse))]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(JoinResponse))]
[JsonSerializable(typeof(ExternalConnectivityRequest))]
[JsonSerializable(typeof(DiscoveryRequest))]
[JsonSerializable(typeof(IpamCapabilitiesResponse))]
[JsonSerializable(typeof(AddressSpacesResponse))]
[JsonSerializable(typeof(RequestPoolRequest))]
[JsonSerializable(typeof(RequestPoolResponse))]
[JsonSerializable(typeof(ReleasePoolRequest))]
[JsonSerializable(typeof(RequestAddressRequest))]
[JsonSerializable(typeof(RequestAddressResponse))]
[JsonSerializable(typeof(ReleaseAddressRequest))]
public sealed partial class DockerJsonContext : JsonSerializerContext;
