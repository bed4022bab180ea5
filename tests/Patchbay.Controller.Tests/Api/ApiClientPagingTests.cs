// PatchbayApiClient's list-all walk against a canned server: it follows continue tokens in order and stops,
// with an error, when a server hands back the token it was given instead of looping on one page.
using System.Net;
using System.Text;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class ApiClientPagingTests
{
    [Fact]
    public async Task ListAll_FollowsTokens_AsksWithEachInTurn()
    {
        var handler = new CannedPages(new Dictionary<string, string>
        {
            [""] = """{"items": [{"name": "a", "labels": {}, "created": "2026-01-01T00:00:00Z"}], "continue": "t1"}""",
            ["t1"] = """{"items": [{"name": "b", "labels": {}, "created": "2026-01-01T00:00:00Z"}], "continue": "t2"}""",
            ["t2"] = """{"items": [{"name": "c", "labels": {}, "created": "2026-01-01T00:00:00Z"}]}""",
        });
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        using var api = new PatchbayApiClient(http);

        IReadOnlyList<TenantView> all = await api.ListAllTenantsAsync(new ListQuery { Limit = 1, Labels = ["tier=gold"] });

        Assert.Equal(["a", "b", "c"], all.Select(t => t.Name));
        Assert.Equal(
            ["/v1/tenants?limit=1&label=tier%3Dgold", "/v1/tenants?limit=1&continue=t1&label=tier%3Dgold", "/v1/tenants?limit=1&continue=t2&label=tier%3Dgold"],
            handler.Requests);
    }

    [Fact]
    public async Task ListAll_ServerRepeatsToken_Throws()
    {
        var handler = new CannedPages(new Dictionary<string, string>
        {
            [""] = """{"items": [], "continue": "same"}""",
            ["same"] = """{"items": [], "continue": "same"}""",
        });
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        using var api = new PatchbayApiClient(http);

        PatchbayApiException e = await Assert.ThrowsAsync<PatchbayApiException>(() => api.ListAllTenantsAsync());

        Assert.Contains("'same'", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    /// <summary>Answers each list request with the page canned for its continue token.</summary>
    private sealed class CannedPages(Dictionary<string, string> pages) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri uri = request.RequestUri!;
            Requests.Add(uri.PathAndQuery);
            string token = uri.Query.TrimStart('?').Split('&').Where(p => p.StartsWith("continue=", StringComparison.Ordinal)).Select(p => p["continue=".Length..]).SingleOrDefault() ?? "";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(pages[token], Encoding.UTF8, "application/json") });
        }
    }
}
