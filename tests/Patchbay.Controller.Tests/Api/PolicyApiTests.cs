// The policy resources in process: apply (YAML and JSON, idempotent, errors at their line and field, a
// refused document stores nothing), get/list/delete per kind, connect/disconnect, and decide for the
// defaults and for a rule that allows tcp/80.
using System.Net;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class PolicyApiTests : IAsyncLifetime
{
    private const string WebPolicy = """
        groups:
          - name: web
            tenant: t1
            selector:
              matchLabels: {app: web}
          - name: db
            tenant: t1
            selector:
              matchLabels: {app: db}
        rules:
          - name: web-to-db
            tenant: t1
            appliesTo: db
            direction: ingress
            peers:
              - group: web
            protocol: tcp
            ports: ["80"]
            action: allow
            priority: 100
        """;

    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.CreateNetworkAsync("blue", "10.1.0.0/24", "t1");
        await _controller.CreateNetworkAsync("green", "10.2.0.0/24", "t1");
        await _controller.CreateNetworkAsync("red", "10.1.0.0/24", "t2");
        await _controller.RegisterHostAsync("h1", 1);
        await Endpoint("w1", "blue", "web");
        await Endpoint("w2", "blue", "web");
        await Endpoint("d1", "green", "db");
        await Endpoint("r1", "red", "web");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Apply_Yaml_CreatedThenUnchangedOnReapply()
    {
        PolicyApplyResult first = await ApplyAsync(WebPolicy);
        PolicyApplyResult second = await ApplyAsync(WebPolicy);

        Assert.Equal(["group/db created", "group/web created", "rule/web-to-db created"], Describe(first));
        Assert.Equal(["group/db unchanged", "group/web unchanged", "rule/web-to-db unchanged"], Describe(second));
        PolicyGroupView web = await _controller.GetAsync<PolicyGroupView>("/v1/policy/groups/web");
        Assert.Equal(["w1", "w2"], web.Members);
        PolicyRuleView rule = await _controller.GetAsync<PolicyRuleView>("/v1/policy/rules/web-to-db");
        Assert.Equal(["80"], rule.Ports);
        Assert.Equal("allow", rule.Action);
    }

    [Fact]
    public async Task Apply_ChangedRule_UpdatedAndOthersUnchanged()
    {
        await ApplyAsync(WebPolicy);

        PolicyApplyResult changed = await ApplyAsync(WebPolicy.Replace("\"80\"", "\"8080\"", StringComparison.Ordinal));

        Assert.Equal(["group/db unchanged", "group/web unchanged", "rule/web-to-db updated"], Describe(changed));
        Assert.Equal(["8080"], (await _controller.GetAsync<PolicyRuleView>("/v1/policy/rules/web-to-db")).Ports);
    }

    [Fact]
    public async Task Apply_Json_SameAsYaml()
    {
        const string json = """
            {"groups": [{"name": "web", "tenant": "t1", "selector": {"matchLabels": {"app": "web"}}}]}
            """;

        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/policy/apply", json);

        PolicyApplyResult result = await ControllerHarness.ReadAsync<PolicyApplyResult>(response);
        Assert.Equal(["group/web created"], Describe(result));
    }

    [Fact]
    public async Task Apply_BadPort_BadRequestNamingFileLineAndFieldAndNothingStored()
    {
        HttpResponseMessage response = await SendYamlAsync(WebPolicy.Replace("\"80\"", "\"70000\"", StringComparison.Ordinal), "policy.yaml");

        JsonElement problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "policy.yaml:18: rules[0].ports[0]: 70000 is not a port");
        Assert.Equal("rules[0].ports[0]", problem.GetProperty("field").GetString());
        Assert.Equal(18, problem.GetProperty("line").GetInt32());
        Assert.Empty(await _controller.NamesAsync("/v1/policy/groups"));
    }

    [Fact]
    public async Task Apply_UnknownPeerGroup_BadRequestAtItsLineAndNothingStored()
    {
        HttpResponseMessage response = await SendYamlAsync(WebPolicy.Replace("- group: web", "- group: nope", StringComparison.Ordinal), "p.yaml");

        JsonElement problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "p.yaml:16: rules[0].peers[0].group: group 'nope' does not exist");
        Assert.Equal("rules[0].peers[0].group", problem.GetProperty("field").GetString());
        Assert.Empty(await _controller.NamesAsync("/v1/policy/groups"));
        Assert.Empty(await _controller.NamesAsync("/v1/policy/rules"));
    }

    [Fact]
    public async Task Apply_PeerNetworkOfAnotherTenant_BadRequestCrossTenant()
    {
        HttpResponseMessage response = await SendYamlAsync(WebPolicy.Replace("- group: web", "- network: red", StringComparison.Ordinal), "p.yaml");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "network 'red' belongs to tenant 't2'");
        Assert.Empty(await _controller.NamesAsync("/v1/policy/rules"));
    }

    [Fact]
    public async Task Apply_NameOfAnotherTenantsGroup_Conflict()
    {
        await ApplyAsync(WebPolicy);

        HttpResponseMessage response = await SendYamlAsync("groups:\n  - name: web\n    tenant: t2\n", "p.yaml");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "group 'web' belongs to tenant 't1'");
        Assert.Equal("t1", (await _controller.GetAsync<PolicyGroupView>("/v1/policy/groups/web")).Tenant);
    }

    [Fact]
    public async Task Apply_PlainText_UnsupportedMediaType()
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/policy/apply", WebPolicy, "text/plain");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "the body must be JSON");
    }

    [Fact]
    public async Task Get_Unknown_NotFound()
    {
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/policy/rules/nope"), HttpStatusCode.NotFound, "rule 'nope' does not exist");
        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/policy/groups/nope"), HttpStatusCode.NotFound, "group 'nope' does not exist");
    }

    [Fact]
    public async Task Delete_GroupNamedByRule_ConflictThenAfterRuleGone_NoContent()
    {
        await ApplyAsync(WebPolicy);

        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/policy/groups/web"), HttpStatusCode.Conflict, "rule 'web-to-db'");
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/policy/rules/web-to-db")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/policy/groups/web")).StatusCode);
        Assert.Equal(["db"], await _controller.NamesAsync("/v1/policy/groups"));
    }

    [Fact]
    public async Task List_TenantFilterAndPages()
    {
        await ApplyAsync(WebPolicy);
        await ApplyAsync("groups:\n  - name: other\n    tenant: t2\n");

        Assert.Equal(["other"], await _controller.NamesAsync("/v1/policy/groups?tenant=t2"));
        ListResponse<PolicyGroupView> page = await _controller.GetAsync<ListResponse<PolicyGroupView>>("/v1/policy/groups?limit=2");
        Assert.Equal(["db", "other"], page.Items.Select(g => g.Name));
        Assert.NotNull(page.Continue);
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/policy/groups?host=h1"), HttpStatusCode.BadRequest, "host", field: "host");
    }

    [Fact]
    public async Task Decide_Defaults_SameNetworkAllowOtherNetworkDenyOtherTenantDeny()
    {
        PolicyDecisionView same = await DecideAsync("w1", "w2");
        PolicyDecisionView otherNetwork = await DecideAsync("w1", "d1");
        PolicyDecisionView otherTenant = await DecideAsync("w1", "r1");

        Assert.Equal(("allow", "sameNetwork"), (same.Verdict, same.Reason));
        Assert.Equal(("deny", "otherNetwork"), (otherNetwork.Verdict, otherNetwork.Reason));
        Assert.Equal(("deny", "otherTenant"), (otherTenant.Verdict, otherTenant.Reason));
        Assert.Equal("icmp", same.Protocol);
    }

    [Fact]
    public async Task Decide_RuleAllowsTcp80_OnlyThatPortAtProtocolGranularity()
    {
        await ApplyAsync(WebPolicy);

        PolicyDecisionView http = await DecideAsync("w1", "d1", "tcp", 80);
        PolicyDecisionView ssh = await DecideAsync("w1", "d1", "tcp", 22);

        Assert.Equal(("allow", "rule", "web-to-db", "db", "protocolPort"), (http.Verdict, http.Reason, http.Rule, http.Group, http.Granularity));
        Assert.Equal(("deny", "otherNetwork"), (ssh.Verdict, ssh.Reason));
    }

    [Fact]
    public async Task Decide_EndpointAddedToGroupByLabels_EngineFollows()
    {
        await ApplyAsync(WebPolicy);
        await Endpoint("w3", "blue", "none");
        Assert.Equal("deny", (await DecideAsync("w3", "d1", "tcp", 80)).Verdict);

        await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/endpoints/w3", """{"labels": {"app": "web"}}""");

        Assert.Equal("allow", (await DecideAsync("w3", "d1", "tcp", 80)).Verdict);
    }

    [Theory]
    [InlineData("/v1/policy/decide?src=nope&dst=w1", HttpStatusCode.NotFound, "endpoint 'nope'", null)]
    [InlineData("/v1/policy/decide?src=w1&dst=w2&proto=sctp&port=1", HttpStatusCode.BadRequest, "sctp", "proto")]
    [InlineData("/v1/policy/decide?src=w1&dst=w2&port=70000", HttpStatusCode.BadRequest, "70000", "port")]
    [InlineData("/v1/policy/decide?src=w1&dst=w2&proto=icmp&port=80", HttpStatusCode.BadRequest, "icmp has no port", "port")]
    [InlineData("/v1/policy/decide?dst=w2", HttpStatusCode.BadRequest, "'src' is required", "src")]
    public async Task Decide_BadQuery_ProblemNamingIt(string path, HttpStatusCode status, string detail, string? field)
    {
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync(path), status, detail, field);
    }

    [Fact]
    public async Task DisconnectThenConnect_OneConnectionPerPair_DecisionFollows()
    {
        HttpResponseMessage disconnect = await _controller.PostAsync("/v1/disconnect", new ConnectionRequest(new ConnectionTargetView("w1"), new ConnectionTargetView("w2")));
        ConnectionView apart = await ControllerHarness.ReadAsync<ConnectionView>(disconnect, HttpStatusCode.Created);
        Assert.Equal(("deny", "disconnected"), ((await DecideAsync("w1", "w2")).Verdict, (await DecideAsync("w2", "w1")).Reason));

        HttpResponseMessage connect = await _controller.PostAsync("/v1/connect", new ConnectionRequest(new ConnectionTargetView("w2"), new ConnectionTargetView("w1")));
        ConnectionView together = await ControllerHarness.ReadAsync<ConnectionView>(connect, HttpStatusCode.OK);
        HttpResponseMessage again = await _controller.PostAsync("/v1/connect", new ConnectionRequest(new ConnectionTargetView("w1"), new ConnectionTargetView("w2")));

        Assert.Equal(apart.Name, together.Name);
        Assert.Equal("connect", together.Action);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([apart.Name], await _controller.NamesAsync("/v1/policy/connections"));
        Assert.Equal(("allow", "connected"), ((await DecideAsync("w1", "w2")).Verdict, (await DecideAsync("w1", "w2")).Reason));
    }

    [Fact]
    public async Task Connect_UnknownEndpoint_NotFound_OtherTenant_BadRequest()
    {
        HttpResponseMessage unknown = await _controller.PostAsync("/v1/connect", new ConnectionRequest(new ConnectionTargetView("w1"), new ConnectionTargetView("ghost")));
        HttpResponseMessage crossTenant = await _controller.PostAsync("/v1/connect", new ConnectionRequest(new ConnectionTargetView("w1"), new ConnectionTargetView("r1")));
        HttpResponseMessage both = await _controller.PostAsync("/v1/connect", new ConnectionRequest(new ConnectionTargetView("w1", "web"), new ConnectionTargetView("w2")));

        await ApiAssert.ProblemAsync(unknown, HttpStatusCode.NotFound, "endpoint 'ghost' does not exist");
        await ApiAssert.ProblemAsync(crossTenant, HttpStatusCode.BadRequest, "belongs to tenant 't2'");
        await ApiAssert.ProblemAsync(both, HttpStatusCode.BadRequest, "exactly one of endpoint or group", field: "a");
        Assert.Empty(await _controller.NamesAsync("/v1/policy/connections"));
        Assert.Equal("deny", (await DecideAsync("w1", "r1")).Verdict);
    }

    private async Task Endpoint(string name, string network, string app) =>
        await ControllerHarness.ReadAsync<EndpointView>(
            await _controller.PostAsync("/v1/endpoints", new EndpointCreate(name, network, "h1", Labels: new Dictionary<string, string> { ["app"] = app })),
            HttpStatusCode.Created);

    private Task<HttpResponseMessage> SendYamlAsync(string yaml, string file) =>
        _controller.SendJsonAsync(HttpMethod.Post, $"/v1/policy/apply?file={file}", yaml, "application/yaml");

    private async Task<PolicyApplyResult> ApplyAsync(string yaml) =>
        await ControllerHarness.ReadAsync<PolicyApplyResult>(await SendYamlAsync(yaml, "policy.yaml"));

    private Task<PolicyDecisionView> DecideAsync(string source, string destination, string? proto = null, int? port = null) =>
        _controller.GetAsync<PolicyDecisionView>($"/v1/policy/decide?src={source}&dst={destination}{(proto is null ? "" : "&proto=" + proto)}{(port is null ? "" : "&port=" + port)}");

    private static string[] Describe(PolicyApplyResult result) => [.. result.Changes.Select(c => $"{c.Kind}/{c.Name} {c.Change}").Order(StringComparer.Ordinal)];
}
