// Typed clients for Patchbay's two HTTP APIs: the controller's REST API (used by agents, the CLI and the lab) and an
// agent's local API on its unix socket (used by the lab and the CNI plugin). Both speak the shapes in Resources.cs
// through PatchbayJsonContext and turn any non-success answer into a PatchbayApiException carrying the problem details.
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Patchbay.Core.Api;

/// <summary>An API call the server refused or failed: the HTTP status and the RFC 9457 problem details it sent.</summary>
public sealed class PatchbayApiException : Exception
{
    public PatchbayApiException()
    {
    }

    public PatchbayApiException(string message)
        : base(message)
    {
    }

    public PatchbayApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PatchbayApiException(HttpStatusCode status, string? title, string? detail, string request)
        : this(status, title, detail, null, request)
    {
    }

    public PatchbayApiException(HttpStatusCode status, string? title, string? detail, string? field, string request)
        : base(Describe(status, title, detail, request))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Field = field;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The request field (or query parameter) the problem names, as in "subnet" or "labels.app"; null when none.</summary>
    public string? Field { get; }

    /// <summary>The problem's title, or null when the body was not problem details.</summary>
    public string? Title { get; }

    /// <summary>The problem's detail, or the start of a body that was not problem details.</summary>
    public string? Detail { get; }

    private static string Describe(HttpStatusCode status, string? title, string? detail, string request) =>
        string.Create(CultureInfo.InvariantCulture, $"{request} answered {(int)status} {title ?? status.ToString()}{(string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail)}");
}

/// <summary>Turns an API address ("unix:/path" or "http://127.0.0.1:port") into an HTTP handler and base address.</summary>
public static class PatchbayHttp
{
    /// <summary>The authority used in request URIs sent over a unix socket (it only fills the Host header).</summary>
    private static readonly Uri UnixBaseAddress = new("http://localhost/");

    /// <exception cref="FormatException">Neither unix:PATH nor http://HOST:PORT.</exception>
    public static HttpMessageHandler CreateHandler(string apiSpec)
    {
        ArgumentNullException.ThrowIfNull(apiSpec);
        if (TryUnixPath(apiSpec) is string path)
        {
            return new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
        }

        _ = BaseAddress(apiSpec);
        return new SocketsHttpHandler();
    }

    /// <summary>The base address request paths are resolved against for this API address.</summary>
    public static Uri BaseAddress(string apiSpec)
    {
        ArgumentNullException.ThrowIfNull(apiSpec);
        if (TryUnixPath(apiSpec) is not null)
        {
            return UnixBaseAddress;
        }

        if (!Uri.TryCreate(apiSpec, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new FormatException($"API address '{apiSpec}' is neither unix:PATH nor http://HOST:PORT");
        }

        return uri;
    }

    /// <summary>An HttpClient for the API address; <paramref name="timeout"/> bounds each request (default 30 s).</summary>
    public static HttpClient CreateClient(string apiSpec, TimeSpan? timeout = null) =>
        new(CreateHandler(apiSpec), disposeHandler: true)
        {
            BaseAddress = BaseAddress(apiSpec),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    private static string? TryUnixPath(string apiSpec)
    {
        if (!apiSpec.StartsWith("unix:", StringComparison.Ordinal))
        {
            return null;
        }

        string path = apiSpec["unix:".Length..];
        return string.IsNullOrWhiteSpace(path) ? throw new FormatException("a unix API address needs a path, as in unix:/run/patchbay/api.sock") : path;
    }
}

/// <summary>
/// The controller's REST API (/v1/tenants, networks, endpoints, hosts, conversations, drops). List methods
/// come in two kinds: ListXAsync(ListQuery) returns one page (follow <see cref="ListResponse{T}.Continue"/>),
/// ListAllXAsync and the overloads without a ListQuery follow every page and return all items.
/// </summary>
public sealed partial class PatchbayApiClient : IDisposable
{
    private static PatchbayJsonContext Json => PatchbayJsonContext.Default;

    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    /// <param name="http">A client whose BaseAddress is the API root; the caller keeps owning it.</param>
    public PatchbayApiClient(HttpClient http)
        : this(http, ownsClient: false)
    {
    }

    private PatchbayApiClient(HttpClient http, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _ownsClient = ownsClient;
    }

    /// <summary>A client for "unix:/path" or "http://127.0.0.1:port".</summary>
    public static PatchbayApiClient Create(string apiSpec, TimeSpan? timeout = null) => new(PatchbayHttp.CreateClient(apiSpec, timeout), ownsClient: true);

    public Task<TenantView> CreateTenantAsync(TenantCreate tenant, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/tenants", tenant, Json.TenantCreate, Json.TenantView, cancellationToken);

    public Task<ListResponse<TenantView>> ListTenantsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/tenants", query), Json.ListResponseTenantView, cancellationToken);

    public Task<IReadOnlyList<TenantView>> ListAllTenantsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListTenantsAsync, query, cancellationToken);

    public Task<TenantView> GetTenantAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/tenants", name), Json.TenantView, cancellationToken);

    public Task<TenantView> UpdateTenantAsync(string name, ResourcePatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Item("v1/tenants", name), patch, Json.ResourcePatch, Json.TenantView, cancellationToken);

    public Task DeleteTenantAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Item("v1/tenants", name), cancellationToken);

    public Task<HostView> RegisterHostAsync(HostRegistration registration, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/hosts", registration, Json.HostRegistration, Json.HostView, cancellationToken);

    /// <summary>Every host (all pages).</summary>
    public Task<IReadOnlyList<HostView>> ListHostsAsync(CancellationToken cancellationToken = default) =>
        ListAllHostsAsync(null, cancellationToken);

    public Task<ListResponse<HostView>> ListHostsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/hosts", query), Json.ListResponseHostView, cancellationToken);

    public Task<IReadOnlyList<HostView>> ListAllHostsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListHostsAsync, query, cancellationToken);

    public Task<HostView> GetHostAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/hosts", name), Json.HostView, cancellationToken);

    public Task DeleteHostAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Item("v1/hosts", name), cancellationToken);

    public Task<NetworkView> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/networks", network, Json.NetworkCreate, Json.NetworkView, cancellationToken);

    /// <summary>Every network (all pages).</summary>
    public Task<IReadOnlyList<NetworkView>> ListNetworksAsync(CancellationToken cancellationToken = default) =>
        ListAllNetworksAsync(null, cancellationToken);

    public Task<ListResponse<NetworkView>> ListNetworksAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/networks", query), Json.ListResponseNetworkView, cancellationToken);

    public Task<IReadOnlyList<NetworkView>> ListAllNetworksAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListNetworksAsync, query, cancellationToken);

    public Task<NetworkView> GetNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/networks", name), Json.NetworkView, cancellationToken);

    public Task<NetworkView> UpdateNetworkAsync(string name, ResourcePatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Item("v1/networks", name), patch, Json.ResourcePatch, Json.NetworkView, cancellationToken);

    public Task DeleteNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Item("v1/networks", name), cancellationToken);

    public Task<EndpointView> CreateEndpointAsync(EndpointCreate endpoint, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "v1/endpoints", endpoint, Json.EndpointCreate, Json.EndpointView, cancellationToken);

    public Task<EndpointView> GetEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/endpoints", name), Json.EndpointView, cancellationToken);

    /// <summary>The endpoint, or null when the controller does not know it (404).</summary>
    public async Task<EndpointView?> FindEndpointAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetEndpointAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (PatchbayApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every endpoint (all pages), optionally only those on <paramref name="host"/> and in <paramref name="network"/>.</summary>
    public Task<IReadOnlyList<EndpointView>> ListEndpointsAsync(string? host = null, string? network = null, CancellationToken cancellationToken = default) =>
        ListAllEndpointsAsync(new ListQuery { Host = host, Network = network }, cancellationToken);

    public Task<ListResponse<EndpointView>> ListEndpointsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/endpoints", query), Json.ListResponseEndpointView, cancellationToken);

    public Task<IReadOnlyList<EndpointView>> ListAllEndpointsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListEndpointsAsync, query, cancellationToken);

    public Task<EndpointView> UpdateEndpointAsync(string name, ResourcePatch patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Item("v1/endpoints", name), patch, Json.ResourcePatch, Json.EndpointView, cancellationToken);

    public Task DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Item("v1/endpoints", name), cancellationToken);

    /// <summary>PUT /v1/endpoints/{name}/port: the OpenFlow port the endpoint is plugged into on its host's bridge.</summary>
    public Task<EndpointView> SetEndpointPortAsync(string name, uint ovsPort, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, Item("v1/endpoints", name) + "/port", new EndpointPort(ovsPort), Json.EndpointPort, Json.EndpointView, cancellationToken);

    /// <summary>Every conversation (all pages).</summary>
    /// <param name="state">"active", "ended", or null for every conversation.</param>
    public Task<IReadOnlyList<ConversationView>> ListConversationsAsync(string? state = null, CancellationToken cancellationToken = default) =>
        ListAllConversationsAsync(new ListQuery { State = state }, cancellationToken);

    public Task<ListResponse<ConversationView>> ListConversationsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/conversations", query), Json.ListResponseConversationView, cancellationToken);

    public Task<IReadOnlyList<ConversationView>> ListAllConversationsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListConversationsAsync, query, cancellationToken);

    public Task<ConversationView> GetConversationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/conversations", id), Json.ConversationView, cancellationToken);

    /// <summary>Every drop counter (all pages).</summary>
    public Task<IReadOnlyList<DropView>> ListDropsAsync(CancellationToken cancellationToken = default) =>
        ListAllAsync(ListDropsAsync, null, cancellationToken);

    public Task<ListResponse<DropView>> ListDropsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/drops", query), Json.ListResponseDropView, cancellationToken);

    /// <summary>POST /v1/policy/apply: a policy document as YAML (JSON is YAML too); <paramref name="file"/> names it in the errors.</summary>
    public Task<PolicyApplyResult> ApplyPolicyAsync(string document, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(file);
        var content = new StringContent(document, System.Text.Encoding.UTF8, "application/yaml");
        return ApiCall.SendAsync(_http, new HttpRequestMessage(HttpMethod.Post, WithQuery("v1/policy/apply", [("file", file)])) { Content = content }, Json.PolicyApplyResult, cancellationToken);
    }

    public Task<IReadOnlyList<PolicyGroupView>> ListAllPolicyGroupsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync((q, c) => SendAsync(HttpMethod.Get, ListPath("v1/policy/groups", q), Json.ListResponsePolicyGroupView, c), query, cancellationToken);

    public Task<IReadOnlyList<PolicyRuleView>> ListAllPolicyRulesAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync((q, c) => SendAsync(HttpMethod.Get, ListPath("v1/policy/rules", q), Json.ListResponsePolicyRuleView, c), query, cancellationToken);

    public Task<IReadOnlyList<ConnectionView>> ListAllConnectionsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync((q, c) => SendAsync(HttpMethod.Get, ListPath("v1/policy/connections", q), Json.ListResponseConnectionView, c), query, cancellationToken);

    public Task<PolicyGroupView> GetPolicyGroupAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/policy/groups", name), Json.PolicyGroupView, cancellationToken);

    public Task<PolicyRuleView> GetPolicyRuleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/policy/rules", name), Json.PolicyRuleView, cancellationToken);

    public Task<ConnectionView> GetConnectionAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, Item("v1/policy/connections", name), Json.ConnectionView, cancellationToken);

    /// <param name="kind">"groups", "rules" or "connections".</param>
    public Task DeletePolicyObjectAsync(string kind, string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, Item("v1/policy/" + kind, name), cancellationToken);

    /// <summary>POST /v1/connect (<paramref name="connect"/>) or /v1/disconnect: the pair's connection after the change.</summary>
    public Task<ConnectionView> SetConnectionAsync(bool connect, ConnectionRequest pair, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, connect ? "v1/connect" : "v1/disconnect", pair, Json.ConnectionRequest, Json.ConnectionView, cancellationToken);

    /// <summary>GET /v1/policy/decide: the decision for a first packet from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public Task<PolicyDecisionView> DecideAsync(string source, string destination, string? protocol = null, ushort? port = null, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Get,
            WithQuery("v1/policy/decide", [("src", source), ("dst", destination), ("proto", protocol), ("port", port?.ToString(CultureInfo.InvariantCulture))]),
            Json.PolicyDecisionView,
            cancellationToken);

    /// <summary>GET /readyz: true when the controller answers 200 (state loaded, OpenFlow listening); false on 503.</summary>
    /// <exception cref="HttpRequestException">The controller is unreachable.</exception>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>The query string of a list request, in the parameter names the controller reads.</summary>
    public static string ListPath(string path, ListQuery query)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        return WithQuery(
            path,
            [
                ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)),
                ("continue", query.Continue),
                ("tenant", query.Tenant),
                ("network", query.Network),
                ("host", query.Host),
                ("state", query.State),
                .. query.Labels.Select(label => ("label", (string?)label)),
            ]);
    }

    private static async Task<IReadOnlyList<T>> ListAllAsync<T>(Func<ListQuery, CancellationToken, Task<ListResponse<T>>> page, ListQuery? query, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        ListQuery next = query ?? new ListQuery();
        while (true)
        {
            ListResponse<T> response = await page(next, cancellationToken).ConfigureAwait(false);
            items.AddRange(response.Items);
            if (response.Continue is null)
            {
                return items;
            }

            if (response.Continue == next.Continue)
            {
                throw new PatchbayApiException($"the API answered the continue token '{response.Continue}' it was given; stopping instead of asking for the same page forever");
            }

            next = next with { Continue = response.Continue };
        }
    }

    private static string Item(string collection, string name) => collection + "/" + Uri.EscapeDataString(name);

    private Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> response, CancellationToken cancellationToken) =>
        ApiCall.SendAsync(_http, new HttpRequestMessage(method, path), response, cancellationToken);

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response, CancellationToken cancellationToken) =>
        ApiCall.SendAsync(_http, new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, request) }, response, cancellationToken);

    private Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken) =>
        ApiCall.SendAsync(_http, new HttpRequestMessage(method, path), cancellationToken);

    private static string WithQuery(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        string query = string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? path : path + "?" + query;
    }
}

/// <summary>An agent's local API on its unix socket: plug and unplug endpoints, list what the host has plugged.</summary>
public sealed class AgentApiClient : IDisposable
{
    private static PatchbayJsonContext Json => PatchbayJsonContext.Default;

    private readonly HttpClient _http;
    private readonly bool _ownsClient;

    /// <param name="http">A client whose BaseAddress is the API root; the caller keeps owning it.</param>
    public AgentApiClient(HttpClient http)
        : this(http, ownsClient: false)
    {
    }

    private AgentApiClient(HttpClient http, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _ownsClient = ownsClient;
    }

    /// <summary>A client for the agent socket "unix:/path" (a bare path is accepted too).</summary>
    public static AgentApiClient Create(string socket, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socket);
        string spec = socket.StartsWith('/') ? "unix:" + socket : socket;
        return new AgentApiClient(PatchbayHttp.CreateClient(spec, timeout ?? TimeSpan.FromSeconds(60)), ownsClient: true);
    }

    public Task<PlugResult> PlugAsync(PlugRequest request, CancellationToken cancellationToken = default) =>
        ApiCall.SendAsync(_http, new HttpRequestMessage(HttpMethod.Post, "v1/plug") { Content = JsonContent.Create(request, Json.PlugRequest) }, Json.PlugResult, cancellationToken);

    public Task UnplugAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ApiCall.SendAsync(_http, new HttpRequestMessage(HttpMethod.Post, "v1/unplug") { Content = JsonContent.Create(new UnplugRequest(endpoint), Json.UnplugRequest) }, cancellationToken);

    public async Task<IReadOnlyList<PlugResult>> ListAsync(CancellationToken cancellationToken = default) =>
        (await ApiCall.SendAsync(_http, new HttpRequestMessage(HttpMethod.Get, "v1/endpoints"), Json.ListResponsePlugResult, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>True when the agent answers GET /healthz with success.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }
}

/// <summary>One request/response exchange with either API; the request message is disposed here.</summary>
internal static class ApiCall
{
    /// <summary>How much of a body that is not problem details goes into the exception.</summary>
    private const int MaxDetailLength = 500;

    public static async Task<TResponse> SendAsync<TResponse>(HttpClient http, HttpRequestMessage request, JsonTypeInfo<TResponse> response, CancellationToken cancellationToken)
    {
        using (request)
        {
            using HttpResponseMessage answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await ThrowIfFailedAsync(request, answer, cancellationToken).ConfigureAwait(false);
            try
            {
                return await answer.Content.ReadFromJsonAsync(response, cancellationToken).ConfigureAwait(false)
                    ?? throw new PatchbayApiException($"{Describe(request)} answered an empty body");
            }
            catch (JsonException e)
            {
                throw new PatchbayApiException($"{Describe(request)} answered a body that is not a {typeof(TResponse).Name}: {e.Message}", e);
            }
        }
    }

    public static async Task SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using HttpResponseMessage answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await ThrowIfFailedAsync(request, answer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpRequestMessage request, HttpResponseMessage answer, CancellationToken cancellationToken)
    {
        if (answer.IsSuccessStatusCode)
        {
            return;
        }

        string body = await answer.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        (string? title, string? detail, string? field) = ParseProblem(body);
        throw new PatchbayApiException(answer.StatusCode, title, detail, field, Describe(request));
    }

    /// <summary>RFC 9457 title, detail and Patchbay's "field" member; a body that is not a problem document becomes the detail, cut short.</summary>
    internal static (string? Title, string? Detail, string? Field) ParseProblem(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (StringProperty(document.RootElement, "title"), StringProperty(document.RootElement, "detail"), StringProperty(document.RootElement, "field"));
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's or a server's plain-text error; fall through and keep its text.
        }

        string text = body.Trim();
        return (null, text.Length <= MaxDetailLength ? text : text[..MaxDetailLength] + "...", null);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(HttpRequestMessage request) => $"{request.Method} /{request.RequestUri}";
}
