// Helpers for the REST contract tests: problem-details assertions, raw JSON requests, and setup through the
// API as an operator would (tenants first: networks belong to a tenant that exists).
using System.Net;
using System.Text;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

internal static class ApiAssert
{
    /// <summary>
    /// Asserts an RFC 9457 answer: the status, application/problem+json, title, status member and a detail
    /// containing <paramref name="detailContains"/>; with <paramref name="field"/>, also "field" and "errors".
    /// </summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains, string? field = null)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        JsonElement root = problem.RootElement;
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        string detail = root.GetProperty("detail").GetString() ?? "";
        Assert.Contains(detailContains, detail, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.True(root.TryGetProperty("field", out JsonElement named), $"no 'field' in {text}");
            Assert.Equal(field, named.GetString());
            Assert.Equal(detail, Assert.Single(root.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        }

        return root.Clone();
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this ControllerHarness controller, HttpMethod method, string path, string json, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        return controller.Client.SendAsync(request);
    }

    /// <summary>Creates each tenant through the API unless it exists (the harness may have made it).</summary>
    public static async Task EnsureTenantsAsync(this ControllerHarness controller, params string[] names)
    {
        foreach (string name in names.Where(n => controller.State.FindTenant(n) is null))
        {
            await ControllerHarness.ReadAsync<TenantView>(await controller.PostAsync("/v1/tenants", new TenantCreate(name)), HttpStatusCode.Created);
        }
    }

    public static async Task<IReadOnlyList<string>> NamesAsync(this ControllerHarness controller, string path)
    {
        using JsonDocument list = JsonDocument.Parse(await controller.Client.GetStringAsync(path));
        return [.. list.RootElement.GetProperty("items").EnumerateArray().Select(item => item.GetProperty(item.TryGetProperty("name", out _) ? "name" : "id").GetString()!)];
    }
}
