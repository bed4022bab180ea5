// Refusals the framework and the body reader give, all as problem details: oversize bodies (413), malformed
// or non-JSON bodies, wrong methods (405), unknown paths (404), and nothing stored after any of them.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class ApiErrorTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;
    private IReadOnlyList<string> _tenantsBefore = [];

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        _tenantsBefore = await _controller.NamesAsync("/v1/tenants");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Post_BodyOverLimitWithLength_PayloadTooLargeAndNothingStored()
    {
        string body = "{\"name\": \"big\", \"labels\": {\"k\": \"" + new string('x', 70 * 1024) + "\"}}";

        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "65536", "body");
        Assert.Equal(_tenantsBefore, await _controller.NamesAsync("/v1/tenants"));
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_PayloadTooLarge()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("{\"name\": \"big\", \"labels\": {\"k\": \"" + new string('x', 70 * 1024) + "\"}}");
        using var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        HttpResponseMessage response = await _controller.Client.PostAsync("/v1/tenants", content);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "65536", "body");
        Assert.Equal(_tenantsBefore, await _controller.NamesAsync("/v1/tenants"));
    }

    [Fact]
    public async Task Post_BodyJustUnderLimit_Accepted()
    {
        string padding = new(' ', (64 * 1024) - 40);
        string body = $$"""{"name": "fits"{{padding}}}""";
        Assert.True(Encoding.UTF8.GetByteCount(body) <= 64 * 1024);

        Assert.Equal(HttpStatusCode.Created, (await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body)).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": """, "line 1")]
    [InlineData("{\n  \"name\": \"a\",\n  \"labels\": {\"k\": \"v\",}\n}", "line 3")]
    [InlineData("""{"name": "a"} trailing""", "line 1")]
    [InlineData("""{'name': 'a'}""", "line 1")]
    public async Task Post_MalformedJson_BadRequestSayingWhere(string body, string where)
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, where);
        Assert.Equal(_tenantsBefore, await _controller.NamesAsync("/v1/tenants"));
    }

    [Theory]
    [InlineData("""{"name": "a", "name": "b"}""", "name")]
    [InlineData("""{"Name": "a"}""", "Name")]
    [InlineData("""null""", "body")]
    [InlineData("""[{"name": "a"}]""", "body")]
    [InlineData("""  """, "body")]
    public async Task Post_WrongShape_BadRequestNamingField(string body, string field)
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "", field);
    }

    [Fact]
    public async Task Post_EmptyBody_BadRequestSayingSo()
    {
        await ApiAssert.ProblemAsync(await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", ""), HttpStatusCode.BadRequest, "empty", "body");
    }

    [Theory]
    [InlineData("/v1/tenants", "text/plain")]
    [InlineData("/v1/tenants/default", "application/x-www-form-urlencoded")]
    [InlineData("/v1/endpoints/c1/port", "text/plain")]
    public async Task Write_NotJson_UnsupportedMediaTypeNamingContentType(string path, string mediaType)
    {
        HttpMethod method = path.EndsWith("/port", StringComparison.Ordinal) ? HttpMethod.Put : path.Count(c => c == '/') == 3 ? HttpMethod.Patch : HttpMethod.Post;

        HttpResponseMessage response = await _controller.SendJsonAsync(method, path, """{"name": "x"}""", mediaType);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "must be JSON", "Content-Type");
        Assert.Equal(_tenantsBefore, await _controller.NamesAsync("/v1/tenants"));
    }

    [Theory]
    [InlineData("PUT", "/v1/tenants")]
    [InlineData("DELETE", "/v1/conversations/1")]
    [InlineData("PATCH", "/v1/hosts/h1")]
    [InlineData("POST", "/v1/drops")]
    public async Task WrongMethod_MethodNotAllowedProblem(string method, string path)
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(new HttpMethod(method), path, "{}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.MethodNotAllowed, $"{method} is not allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task UnknownPath_NotFoundProblem()
    {
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/nothing"), HttpStatusCode.NotFound, "no resource at /v1/nothing");
    }

    [Fact]
    public async Task Client_Refusal_CarriesStatusAndField()
    {
        using var api = new PatchbayApiClient(_controller.Client);

        PatchbayApiException e = await Assert.ThrowsAsync<PatchbayApiException>(() => api.CreateTenantAsync(new TenantCreate("bad name")));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Equal("name", e.Field);
        Assert.Contains("bad name", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream without a length, so that the client sends the body chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
