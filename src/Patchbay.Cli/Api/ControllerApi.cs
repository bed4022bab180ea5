// The CLI's view of the controller's REST API: JSON trees in and out, so `-o json` prints exactly what the API
// answered (also fields this build does not know yet), lists followed through every `continue` page, and every
// failure sorted into the CLI's two kinds: the controller said no (a problem, exit 1) or could not be reached (exit 2).
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Api;

/// <summary>One page of a list resource: its items and the token of the next page (null on the last).</summary>
internal sealed record ListPage(JsonArray Items, string? Continue);

internal sealed partial class ControllerApi : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;

    private ControllerApi(ApiTarget target, HttpClient http)
    {
        Target = target;
        _http = http;
    }

    public ApiTarget Target { get; }

    /// <exception cref="CliUserException">The address is neither unix:PATH, /PATH nor http://HOST:PORT.</exception>
    public static ControllerApi Connect(ApiTarget target)
    {
        try
        {
            return new ControllerApi(target, PatchbayHttp.CreateClient(target.Spec, RequestTimeout));
        }
        catch (FormatException e)
        {
            throw new CliUserException($"{e.Message} (from {target.Source}); use unix:/path/to/api.sock, /path/to/api.sock or http://127.0.0.1:PORT");
        }
    }

    public async Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, path, null, cancellationToken) ?? throw new CliUserException($"GET /{path} answered an empty body");

    public Task<JsonNode?> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>POST a body that is not JSON (a YAML policy document).</summary>
    public Task<JsonNode?> PostTextAsync(string path, string text, string mediaType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, null, cancellationToken, new StringContent(text, Encoding.UTF8, mediaType));

    public Task<JsonNode?> PatchAsync(string path, JsonNode body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Patch, path, body, cancellationToken);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>GET one page of a list: <paramref name="query"/> plus limit and continue when given.</summary>
    public async Task<ListPage> ListPageAsync(string path, IEnumerable<KeyValuePair<string, string>> query, int? limit, string? continueToken, CancellationToken cancellationToken)
    {
        var parameters = query.ToList();
        if (limit is int n)
        {
            parameters.Add(new("limit", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            parameters.Add(new("continue", continueToken));
        }

        var page = await GetAsync(WithQuery(path, parameters), cancellationToken);
        if (page is not JsonObject body || body["items"] is not JsonArray items)
        {
            throw new CliUserException($"GET /{path} answered something other than a list ({{\"items\": [...]}})");
        }

        body.Remove("items");
        return new ListPage(items, body["continue"]?.GetValueKind() == JsonValueKind.String ? body["continue"]!.GetValue<string>() : null);
    }

    /// <summary>Every item of a list, following `continue` until the last page.</summary>
    public async Task<JsonArray> ListAllAsync(string path, IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        var parameters = query.ToList();
        var all = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ListPageAsync(path, parameters, null, token, cancellationToken);
            foreach (var item in page.Items.ToList())
            {
                page.Items.Remove(item);
                all.Add(item);
            }

            token = page.Continue;

            // A server that hands out the same token twice would keep us here forever.
            if (token is not null && !seen.Add(token))
            {
                throw new CliUserException($"GET /{path} answered the continue token '{token}' twice; stopping");
            }
        }
        while (!string.IsNullOrEmpty(token));
        return all;
    }

    public void Dispose() => _http.Dispose();

    public static string WithQuery(string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return query.Length == 0 ? path : path + "?" + query;
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = JsonMediaType;
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnreachableException(Target, Reason(e));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(Target, $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliUserException(ApiProblem.Describe(response.StatusCode, text, $"{method} /{path}"));
            }

            if (response.StatusCode == HttpStatusCode.NoContent || string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new CliUserException($"{method} /{path} answered a body that is not JSON: {e.Message}");
            }
        }
    }

    private static string Reason(HttpRequestException e) =>
        e.InnerException is SocketException socket ? socket.SocketErrorCode switch
        {
            // A unix socket path with no file behind it fails as "address not available".
            SocketError.AddressNotAvailable => "no socket there",
            SocketError.ConnectionRefused => "connection refused",
            _ => socket.Message,
        }
        : e.Message;
}
