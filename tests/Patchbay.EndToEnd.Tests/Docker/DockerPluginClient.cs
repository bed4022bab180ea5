// Plays Docker's plugin client against a lab agent's Docker socket: POST /Method with a JSON body, Accept
// application/vnd.docker.plugins.v1.2+json; the answer's status and JSON body.
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.EndToEnd.Tests.Docker;

internal sealed class DockerPluginClient(string socket) : IDisposable
{
    private const string MediaType = "application/vnd.docker.plugins.v1.2+json";

    private readonly HttpClient _http = PatchbayHttp.CreateClient("unix:" + socket, TimeSpan.FromSeconds(30));

    public void Dispose() => _http.Dispose();

    public async Task<bool> IsUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await PostAsync("Plugin.Activate", null, cancellationToken)).Status == 200;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }

    /// <summary>The answer's body; fails the test with Docker's view of the error unless the status is 200.</summary>
    public async Task<JsonElement> CallAsync(string method, string? body, CancellationToken cancellationToken)
    {
        (int status, JsonElement answer) = await PostAsync(method, body, cancellationToken);
        Assert.True(status == 200, $"{method} answered {status}: {answer}");
        return answer;
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string method, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, MediaType);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return ((int)response.StatusCode, document.RootElement.Clone());
    }
}
