// The model as it is stored: one JSON document per key (docs/store.md, "Model keys"), written and read
// through source-generated System.Text.Json (no reflection, safe to trim). Addresses travel as strings, as
// in the REST API; the documents are the durable format, so a renamed field needs a migration.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Patchbay.Core.Model;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.State;

/// <summary>The store keys of the model; every key starts with the layout version.</summary>
internal static class ModelKeys
{
    public const string Root = "/v1/";
    public const string Tenants = "/v1/tenants/";
    public const string Networks = "/v1/networks/";
    public const string Endpoints = "/v1/endpoints/";
    public const string Hosts = "/v1/hosts/";
    public const string Ipam = "/v1/ipam/";
    public const string Ids = "/v1/meta/ids";

    public static string Tenant(string name) => Tenants + name;

    public static string Network(string name) => Networks + name;

    public static string Endpoint(string name) => Endpoints + name;

    public static string Host(string name) => Hosts + name;

    /// <summary>The claim on one address of a network: whoever creates it owns the address.</summary>
    public static string Claim(string network, Ipv4Address ip) => string.Create(CultureInfo.InvariantCulture, $"{Ipam}{network}/{ip}");

    public static bool TryParseClaim(string key, out (string Network, Ipv4Address Ip) claim)
    {
        claim = default;
        int slash = key.LastIndexOf('/');
        if (!key.StartsWith(Ipam, StringComparison.Ordinal) || slash <= Ipam.Length
            || !Ipv4Address.TryParse(key.AsSpan(slash + 1), CultureInfo.InvariantCulture, out Ipv4Address ip))
        {
            return false;
        }

        claim = (key[Ipam.Length..slash], ip);
        return true;
    }
}

internal sealed record TenantDocument(uint Id, string Name, Dictionary<string, string> Labels, DateTimeOffset Created)
{
    public static TenantDocument From(Tenant tenant) => new(tenant.Id, tenant.Name, new(tenant.Labels), tenant.Created);

    public Tenant ToModel() => new(Id, Name, ModelRules.Freeze(Labels), Created);
}

/// <remarks>IPv6 will add "subnet6" and "gateway6" beside the IPv4 fields; readers ignore fields they do not know.</remarks>
internal sealed record NetworkDocument(uint Id, string Name, string Tenant, string Subnet, string Gateway, Dictionary<string, string> Labels)
{
    public static NetworkDocument From(Network network) =>
        new(network.Id, network.Name, network.Tenant, network.Subnet.ToString(), network.Gateway.ToString(), new(network.Labels));

    public Network ToModel() =>
        new(Id, Name, Tenant, Ipv4Subnet.Parse(Subnet), Ipv4Address.Parse(Gateway)) { Labels = ModelRules.Freeze(Labels) };
}

internal sealed record EndpointDocument(
    uint Id,
    string Name,
    string Tenant,
    string Network,
    string Ip,
    string Mac,
    string Host,
    uint? OfPort,
    Dictionary<string, string> Labels,
    DateTimeOffset Created)
{
    public static EndpointDocument From(Endpoint endpoint) => new(
        endpoint.Id,
        endpoint.Name,
        endpoint.Tenant,
        endpoint.Network,
        endpoint.Ip.ToString(),
        endpoint.Mac.ToString(),
        endpoint.Host,
        endpoint.OfPort,
        new(endpoint.Labels),
        endpoint.Created);

    public Endpoint ToModel() =>
        new(Id, Name, Tenant, Network, Ipv4Address.Parse(Ip), MacAddress.Parse(Mac), Host, OfPort, ModelRules.Freeze(Labels), Created);
}

/// <param name="DatapathId">16 hex digits, as in the REST API.</param>
internal sealed record HostDocument(
    string Name,
    string DatapathId,
    string UplinkMac,
    uint UplinkPort,
    string UnderlayIp,
    string Segment,
    HostState State,
    DateTimeOffset LastSeen)
{
    public static HostDocument From(Host host) => new(
        host.Name,
        host.DatapathId.ToString("x16", CultureInfo.InvariantCulture),
        host.UplinkMac.ToString(),
        host.UplinkPort,
        host.UnderlayIp.ToString(),
        host.Segment,
        host.State,
        host.LastSeen);

    public Host ToModel() => new(
        Name,
        ulong.Parse(DatapathId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
        MacAddress.Parse(UplinkMac),
        UplinkPort,
        Ipv4Address.Parse(UnderlayIp),
        Segment,
        State,
        LastSeen);
}

/// <summary>The value of an address claim: the endpoint that holds the address.</summary>
internal sealed record ClaimDocument(string Endpoint);

/// <summary>
/// The id counters: the last tenant, network and endpoint id handed out (ids are never reused), and the
/// conversation id mark: no conversation id above it was ever handed out, so a restart begins above it.
/// </summary>
internal sealed record IdsDocument(uint Tenant, uint Network, uint Endpoint, ulong Conversation);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TenantDocument))]
[JsonSerializable(typeof(NetworkDocument))]
[JsonSerializable(typeof(EndpointDocument))]
[JsonSerializable(typeof(HostDocument))]
[JsonSerializable(typeof(ClaimDocument))]
[JsonSerializable(typeof(IdsDocument))]
internal sealed partial class ModelJsonContext : JsonSerializerContext
{
    public static ReadOnlyMemory<byte> Encode<T>(T document, JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToUtf8Bytes(document, type);

    public static T Decode<T>(StoreEntry entry, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(entry.Value.Span, type) ?? throw new InvalidDataException($"store key '{entry.Key}' holds JSON null");
}
