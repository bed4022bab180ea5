// The policy resources (docs/api.md, "Policy"): POST /v1/policy/apply (a document, JSON or YAML: every
// error names its line and field), the groups, rules and connections under /v1/policy/ (list, get,
// delete), POST /v1/connect and /v1/disconnect for one pair, and GET /v1/policy/decide, the engine's
// decision for a first packet between two endpoints. A change answers once the policy enforcer has
// applied it to live traffic (bounded by EnforcementWait), with the number of conversations it revoked.
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Policy;
using Patchbay.Packets;
using Endpoint = Patchbay.Core.Model.Endpoint;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const string YamlMediaType = "application/yaml";

    /// <summary>
    /// How long a policy change waits for its enforcement pass before answering anyway (without a revoked count):
    /// the pass normally takes milliseconds; a switch that does not answer its barrier must not hold the API.
    /// </summary>
    private static readonly TimeSpan EnforcementWait = TimeSpan.FromSeconds(5);

    private static void MapPolicies(IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder policy = routes.MapGroup("/v1/policy").WithTags("policy");
        policy.MapPost("/apply", (HttpRequest request, IPolicyState state, PolicyEnforcer enforcer, CancellationToken cancellationToken) => GuardPolicy(async () =>
        {
            string file = request.Query["file"] is { Count: 1 } given && !string.IsNullOrEmpty(given[0]) ? given[0]! : "body";
            string text = await ApiBody.ReadDocumentTextAsync(request, cancellationToken).ConfigureAwait(false);
            PolicyDocument document = PolicyDocument.Parse(text, file);
            IReadOnlyList<PolicyObjectChange> changes = await state.ApplyPolicyAsync(document, cancellationToken).ConfigureAwait(false);
            int? revoked = await EnforcedAsync(state, enforcer, changes.Any(c => c.Change != PolicyChange.Unchanged), cancellationToken).ConfigureAwait(false);
            return Results.Json(
                new PolicyApplyResult([.. changes.Select(c => new PolicyChangeView(Lower(c.Kind), c.Name, Lower(c.Change)))], revoked),
                Json.PolicyApplyResult);
        }))
            .WithSummary("Apply a policy document (upsert by kind and name); ?file=NAME names it in errors.")
            .Accepts<string>(JsonMediaType, YamlMediaType)
            .Produces<PolicyApplyResult>()
            .DescribeWrite();

        policy.MapGet("/decide", (HttpRequest request, IControllerState model, IPolicyState state) => ApiProblems.Guard(() =>
            Results.Json(Decide(request.Query, model, state.CurrentPolicy), Json.PolicyDecisionView)))
            .WithSummary("The policy decision for a first packet from src to dst (endpoint names), proto tcp|udp|icmp, port.")
            .Produces<PolicyDecisionView>()
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        MapPolicyKind(policy.MapGroup("/groups"), PolicyObjectKind.Group, s => s.Groups, g => g.Name, g => g.Tenant, (g, state, model) => PolicyViews.View(g, Members(g, state, model)), Json.PolicyGroupView, Json.ListResponsePolicyGroupView);
        MapPolicyKind(policy.MapGroup("/rules"), PolicyObjectKind.Rule, s => s.Rules, r => r.Name, r => r.Tenant, (r, _, _) => PolicyViews.View(r), Json.PolicyRuleView, Json.ListResponsePolicyRuleView);
        MapPolicyKind(policy.MapGroup("/connections"), PolicyObjectKind.Connection, s => s.Connections, c => c.Name, c => c.Tenant, (c, _, _) => PolicyViews.View(c), Json.ConnectionView, Json.ListResponseConnectionView);

        MapPair(routes, "/v1/connect", ConnectionAction.Connect, "Let a pair (endpoints or groups) talk, whatever the rules say.");
        MapPair(routes, "/v1/disconnect", ConnectionAction.Disconnect, "Keep a pair (endpoints or groups) apart, whatever the rules or a connect say.");
    }

    private static void MapPolicyKind<T, TView>(
        RouteGroupBuilder group,
        PolicyObjectKind kind,
        Func<PolicySet, IReadOnlyList<T>> objects,
        Func<T, string> name,
        Func<T, string> tenant,
        Func<T, IPolicyState, IControllerState, TView> view,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TView> viewType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<ListResponse<TView>> listType)
    {
        string what = Lower(kind);
        group.MapGet("", (HttpRequest request, IPolicyState state, IControllerState model) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, ListFilters.Tenant);
            IEnumerable<T> matching = objects(state.Policies()).Where(o => list.Tenant is null || tenant(o) == list.Tenant);
            return Results.Json(list.Page(matching, name, o => view(o, state, model)), listType);
        })).DescribeList<TView>($"List the policy's {what}s.", ListFilters.Tenant);

        group.MapGet("/{name}", (string name, IPolicyState state, IControllerState model) =>
            objects(state.Policies()).FirstOrDefault(o => NameOf(o) == name) is { } found
                ? Results.Json(view(found, state, model), viewType)
                : ApiProblems.NotFound(what, name))
            .DescribeGet<TView>($"Get a {what}.");

        group.MapDelete("/{name}", (string name, IPolicyState state, PolicyEnforcer enforcer, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            await state.DeletePolicyObjectAsync(kind, name, cancellationToken).ConfigureAwait(false);
            await EnforcedAsync(state, enforcer, changed: true, cancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        })).DescribeDelete($"Delete a {what}; a group still named by a rule or connection is refused (409). Answers once live traffic follows the change.");

        string NameOf(T item) => name(item);
    }

    private static void MapPair(IEndpointRouteBuilder routes, string path, ConnectionAction action, string summary) =>
        routes.MapPost(path, (HttpRequest request, IPolicyState state, PolicyEnforcer enforcer, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            ConnectionRequest pair = await ApiBody.ReadAsync(request, ApiBody.Strict.ConnectionRequest, cancellationToken).ConfigureAwait(false);
            ConnectionTarget a = Target(pair.A, "a");
            ConnectionTarget b = Target(pair.B, "b");
            (PairwiseConnection connection, PolicyChange change) = await state.SetConnectionAsync(a, b, action, pair.Tenant, pair.Name, cancellationToken).ConfigureAwait(false);
            int? revoked = await EnforcedAsync(state, enforcer, change != PolicyChange.Unchanged, cancellationToken).ConfigureAwait(false);
            IResult body = Results.Json(PolicyViews.View(connection) with { Revoked = revoked }, Json.ConnectionView, statusCode: change == PolicyChange.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            return change == PolicyChange.Created ? new CreatedResult(Location("policy/connections", connection.Name), body) : body;
        }))
            .WithTags("policy")
            .WithSummary(summary + " Creates the pair's connection (201) or changes it (200); answers once live traffic follows the change, with the conversations revoked.")
            .Accepts<ConnectionRequest>(JsonMediaType)
            .Produces<ConnectionView>(StatusCodes.Status201Created)
            .Produces<ConnectionView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DescribeWrite();

    /// <summary>
    /// Waits (bounded) until the enforcer has applied the state's current generation to live traffic; the number of
    /// conversations that pass revoked, 0 for a change that changed nothing, null when the wait ran out.
    /// </summary>
    private static async Task<int?> EnforcedAsync(IPolicyState state, PolicyEnforcer enforcer, bool changed, CancellationToken cancellationToken)
    {
        if (!changed)
        {
            return 0;
        }

        EnforcementPass? pass = await enforcer.WaitForAsync(state.PolicyGeneration, EnforcementWait, cancellationToken).ConfigureAwait(false);
        return pass?.Revoked;
    }

    private static ConnectionTarget Target(ConnectionTargetView? view, string field) => view switch
    {
        null => throw ApiRequestException.Invalid(field, "Missing field", $"'{field}' is required: {{\"endpoint\": NAME}} or {{\"group\": NAME}}"),
        { Endpoint: { Length: > 0 } endpoint, Group: null } => ConnectionTarget.Endpoint(endpoint),
        { Endpoint: null, Group: { Length: > 0 } group } => ConnectionTarget.Group(group),
        _ => throw ApiRequestException.Invalid(field, "Invalid target", $"'{field}' is exactly one of endpoint or group, each a name"),
    };

    /// <summary>The names of the endpoints the group selects, from the current engine.</summary>
    private static IReadOnlyList<string> Members(EndpointGroup group, IPolicyState state, IControllerState model)
    {
        var ids = new HashSet<uint>(state.CurrentPolicy.MembersOf(group.Name));
        return [.. model.Endpoints().Where(e => ids.Contains(e.Id)).Select(e => e.Name).Order(StringComparer.Ordinal)];
    }

    private static PolicyDecisionView Decide(IQueryCollection query, IControllerState model, PolicyEngine engine)
    {
        foreach (string key in query.Keys)
        {
            if (key is not ("src" or "dst" or "proto" or "port"))
            {
                throw ApiRequestException.Invalid(key, "Unknown parameter", $"unknown query parameter '{key}'; decide takes src, dst, proto and port");
            }
        }

        Endpoint source = model.FindEndpoint(ApiProblems.Required(query["src"], "src")) ?? throw ControllerStateException.NotFound("endpoint", query["src"]!);
        Endpoint destination = model.FindEndpoint(ApiProblems.Required(query["dst"], "dst")) ?? throw ControllerStateException.NotFound("endpoint", query["dst"]!);
        ushort? port = null;
        if (query["port"] is { Count: > 0 } portText)
        {
            port = ushort.TryParse(portText[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort p) && p > 0
                ? p
                : throw ApiRequestException.Invalid("port", "Invalid parameter", $"port '{portText[0]}' is not a port (1-65535)");
        }

        string proto = query["proto"] is { Count: > 0 } given ? given[0]!.ToLowerInvariant() : port is null ? "icmp" : "tcp";
        byte protocol = proto switch
        {
            "tcp" => IpProtocol.Tcp,
            "udp" => IpProtocol.Udp,
            "icmp" => IpProtocol.Icmp,
            _ => throw ApiRequestException.Invalid("proto", "Invalid parameter", $"proto '{proto}' is not one of tcp, udp, icmp"),
        };
        if (protocol == IpProtocol.Icmp && port is not null)
        {
            throw ApiRequestException.Invalid("port", "Invalid parameter", "icmp has no port; leave port out or pass proto tcp or udp");
        }

        if (protocol != IpProtocol.Icmp && port is null)
        {
            throw ApiRequestException.Invalid("port", "Missing parameter", $"proto {proto} needs a port");
        }

        PolicyDecision decision = engine.Decide(source, destination, protocol, port ?? 0);
        return new PolicyDecisionView(
            source.Name,
            destination.Name,
            proto,
            port,
            Lower(decision.Verdict),
            JsonNamingLower(decision.Reason.ToString()),
            JsonNamingLower(decision.Granularity.ToString()),
            decision.ToString(),
            decision.Rule?.Name,
            decision.Rule?.AppliesTo,
            decision.Rule?.Priority,
            decision.Connection?.Name);
    }

    /// <summary>Like <see cref="ApiProblems.Guard(Func{Task{IResult}})"/>, and a document's errors become one 400 naming every line and field.</summary>
    private static async Task<IResult> GuardPolicy(Func<Task<IResult>> handler)
    {
        try
        {
            return await ApiProblems.Guard(handler).ConfigureAwait(false);
        }
        catch (PolicyDocumentException e)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (IGrouping<string, PolicyDocumentError> field in e.Errors.GroupBy(error => error.Path))
            {
                errors[field.Key] = [.. field.Select(error => error.ToString())];
            }

            return Results.ValidationProblem(
                errors,
                detail: string.Join("\n", e.Errors),
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid policy",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["field"] = e.Errors[0].Path,
                    ["line"] = e.Errors[0].Line,
                });
        }
    }

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>"SameNetwork" → "sameNetwork", as enum values travel in the JSON of the other resources.</summary>
    private static string JsonNamingLower(string value) => char.ToLowerInvariant(value[0]) + value[1..];
}
