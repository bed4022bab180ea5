// One Docker plugin server per test on a socket of its own, over a fake model and fake links, and a client that posts
// bodies the way Docker's plugin client does (POST /Method, JSON, Accept: application/vnd.docker.plugins.v1.2+json).
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Patchbay.Agent.Docker;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Tests.Docker;

/// <summary>What a plugin method answered: the HTTP status, the content type and the JSON body.</summary>
internal sealed record PluginAnswer(int Status, string? ContentType, JsonElement Body)
{
    public string? Err => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(nameof(Err), out JsonElement err) ? err.GetString() : null;

    public string Text(string property) => Body.GetProperty(property).GetString()!;
}

internal sealed class DockerPluginHost : IAsyncDisposable
{
    private readonly DockerDriver _driver;
    private readonly DockerPluginServer _server;
    private readonly HttpClient _http;

    private DockerPluginHost(DockerDriver driver, DockerPluginServer server, HttpClient http, string socket)
    {
        _driver = driver;
        _server = server;
        _http = http;
        Socket = socket;
    }

    public string Socket { get; }

    public static async Task<DockerPluginHost> StartAsync(string host, FakeDockerModel model, FakeDockerLinks links)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"pbdocker-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.sock");
        var driver = new DockerDriver(host, model, links, NullLogger.Instance);
        DockerPluginServer server = await DockerPluginServer.StartAsync(socket, driver, NullLogger.Instance, CancellationToken.None);
        return new DockerPluginHost(driver, server, PatchbayHttp.CreateClient("unix:" + socket, TimeSpan.FromSeconds(10)), socket);
    }

    /// <summary>POSTs <paramref name="body"/> (null: no body, as Docker calls Activate and GetCapabilities) to /<paramref name="method"/>.</summary>
    public async Task<PluginAnswer> PostAsync(string method, string? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DockerPluginApi.ContentType));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, DockerPluginApi.ContentType);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(text);
        return new PluginAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, document.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _driver.Dispose();
    }
}
