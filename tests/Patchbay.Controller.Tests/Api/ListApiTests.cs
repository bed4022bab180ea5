// Pagination and list parameters: pages in ordinal name order (conversations in id order) with an opaque
// continue token, no item repeated or missed, the last page without a token; bad parameters name themselves.
using System.Net;
using Patchbay.Controller.State;
using Patchbay.Core.Api;
using Patchbay.Core.Model;

namespace Patchbay.Controller.Tests.Api;

public sealed class ListApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.EnsureTenantsAsync("t1", "t2");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Endpoints_PagedBySeven_EveryItemOnceInOrdinalOrder()
    {
        await _controller.CreateNetworkAsync("blue");
        string[] names = [.. Enumerable.Range(0, 23).Select(i => $"c{i}").Append("C-upper").Append("b.dot")];
        foreach (string name in names)
        {
            await _controller.CreateEndpointAsync(name, "blue", "h1");
        }

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            ListResponse<EndpointView> page = await _controller.GetAsync<ListResponse<EndpointView>>(
                "/v1/endpoints?limit=7" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
            Assert.True(page.Items.Count <= 7);
            seen.AddRange(page.Items.Select(e => e.Name));
            token = page.Continue;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal([.. names.Order(StringComparer.Ordinal)], seen);
    }

    [Fact]
    public async Task Client_ListAll_FollowsPagesAndFilters()
    {
        await _controller.CreateNetworkAsync("blue");
        for (var i = 0; i < 12; i++)
        {
            await _controller.CreateEndpointAsync($"c{i:D2}", "blue", i % 2 == 0 ? "h1" : "h2");
        }

        using var api = new PatchbayApiClient(_controller.Client);
        ListResponse<EndpointView> first = await api.ListEndpointsAsync(new ListQuery { Limit = 5, Host = "h1" });
        IReadOnlyList<EndpointView> all = await api.ListAllEndpointsAsync(new ListQuery { Limit = 5, Host = "h1" });
        IReadOnlyList<EndpointView> legacy = await api.ListEndpointsAsync(host: "h2");

        Assert.Equal(["c00", "c02", "c04", "c06", "c08"], first.Items.Select(e => e.Name));
        Assert.NotNull(first.Continue);
        Assert.Equal(["c00", "c02", "c04", "c06", "c08", "c10"], all.Select(e => e.Name));
        Assert.Equal(6, legacy.Count);
    }

    [Fact]
    public async Task LastPage_ExactlyFull_HasNoContinue()
    {
        await _controller.CreateNetworkAsync("a");
        await _controller.CreateNetworkAsync("b", "10.2.0.0/24");

        ListResponse<NetworkView> page = await _controller.GetAsync<ListResponse<NetworkView>>("/v1/networks?limit=2");
        string raw = await _controller.Client.GetStringAsync("/v1/networks?limit=2");

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.Continue);
        Assert.DoesNotContain("continue", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_PagedInNumericIdOrder_AndFiltered()
    {
        await _controller.CreateNetworkAsync("blue");
        uint networkId = _controller.State.FindNetwork("blue")!.Id;
        foreach (ulong id in new ulong[] { 2, 10, 9, 100 })
        {
            _controller.State.AddConversation(Conversation(id, networkId, id == 100 ? "h3" : "h1", id == 9 ? ConversationState.Ended : ConversationState.Active));
        }

        ListResponse<ConversationView> first = await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?limit=3");
        ListResponse<ConversationView> second = await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?limit=3&continue=" + Uri.EscapeDataString(first.Continue!));

        Assert.Equal(["2", "9", "10"], first.Items.Select(c => c.Id));
        Assert.Equal(["100"], second.Items.Select(c => c.Id));
        Assert.Null(second.Continue);
        Assert.Equal(["2", "10", "100"], await _controller.NamesAsync("/v1/conversations?state=active"));
        Assert.Equal(["100"], await _controller.NamesAsync("/v1/conversations?host=h3"));
        Assert.Equal(["2", "9", "10", "100"], await _controller.NamesAsync("/v1/conversations?host=h1&tenant=t1&network=blue"));
        Assert.Empty(await _controller.NamesAsync("/v1/conversations?network=nope"));
        Assert.Empty(await _controller.NamesAsync("/v1/conversations?tenant=t9"));
        Assert.Empty(await _controller.NamesAsync("/v1/conversations?host=h2"));
        Assert.Equal("10", (await _controller.GetAsync<ConversationView>("/v1/conversations/10")).Id);
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/conversations/11"), HttpStatusCode.NotFound, "conversation '11'");
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/conversations/x1"), HttpStatusCode.BadRequest, "not a whole number", "id");
    }

    [Theory]
    [InlineData("/v1/endpoints?limit=0", "limit")]
    [InlineData("/v1/endpoints?limit=1001", "limit")]
    [InlineData("/v1/endpoints?limit=ten", "limit")]
    [InlineData("/v1/endpoints?limit=-1", "limit")]
    [InlineData("/v1/endpoints?limit=5&limit=6", "limit")]
    [InlineData("/v1/endpoints?continue=%%%", "continue")]
    [InlineData("/v1/endpoints?colour=red", "colour")]
    [InlineData("/v1/endpoints?state=active", "state")]
    [InlineData("/v1/endpoints?label=", "label")]
    [InlineData("/v1/endpoints?label==v", "label")]
    [InlineData("/v1/endpoints?host=", "host")]
    [InlineData("/v1/tenants?tenant=t1", "tenant")]
    [InlineData("/v1/hosts?state=asleep", "state")]
    [InlineData("/v1/hosts?label=a", "label")]
    [InlineData("/v1/conversations?state=sleeping", "state")]
    [InlineData("/v1/conversations?label=a", "label")]
    [InlineData("/v1/drops?tenant=t1", "tenant")]
    public async Task List_BadParameter_BadRequestNamingIt(string path, string parameter)
    {
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync(path), HttpStatusCode.BadRequest, parameter, parameter);
    }

    [Fact]
    public async Task Limit_Max_Accepted()
    {
        Assert.Empty((await _controller.GetAsync<ListResponse<EndpointView>>("/v1/endpoints?limit=1000")).Items);
    }

    [Fact]
    public async Task Hosts_PagedAndStateFiltered()
    {
        for (ulong i = 1; i <= 5; i++)
        {
            await _controller.RegisterHostAsync($"h{i}", i);
        }

        ListResponse<HostView> first = await _controller.GetAsync<ListResponse<HostView>>("/v1/hosts?limit=3");
        ListResponse<HostView> second = await _controller.GetAsync<ListResponse<HostView>>("/v1/hosts?limit=3&continue=" + Uri.EscapeDataString(first.Continue!));

        Assert.Equal(["h1", "h2", "h3"], first.Items.Select(h => h.Name));
        Assert.Equal(["h4", "h5"], second.Items.Select(h => h.Name));
        Assert.Null(second.Continue);
        Assert.Equal(5, (await _controller.GetAsync<ListResponse<HostView>>("/v1/hosts?state=registered")).Items.Count);
        Assert.Empty((await _controller.GetAsync<ListResponse<HostView>>("/v1/hosts?state=connected")).Items);
    }

    [Fact]
    public async Task Drops_HostFilter()
    {
        _controller.State.CountDrop("h1", "unknown-arp", 60);
        _controller.State.CountDrop("h2", "no-route", 60);

        Assert.Equal(["h1", "h2"], (await _controller.GetAsync<ListResponse<DropView>>("/v1/drops")).Items.Select(d => d.Host));
        Assert.Equal("no-route", Assert.Single((await _controller.GetAsync<ListResponse<DropView>>("/v1/drops?host=h2")).Items).Reason);
    }

    private static ConversationRecord Conversation(ulong id, uint networkId, string destinationHost, ConversationState state) => new(
        new Conversation(id, id, "t1", "a", "b", DataPathMode.Direct, state, DateTimeOffset.UnixEpoch, null, 0, 0, 0),
        networkId,
        "h1",
        destinationHost,
        1);
}
