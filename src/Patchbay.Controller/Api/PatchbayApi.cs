// The controller's REST resources under /v1 (tenants, networks, endpoints, hosts, conversations, drops),
// /healthz, /readyz and the OpenAPI document, as minimal APIs; one partial file per resource. Handlers
// parse and validate, make one state call (so a refused request stores nothing), and tell the switch
// manager what changed; switch programming runs to its end even if the client hangs up (only shutdown
// cancels it), so a switch is never left with half an endpoint. docs/api.md describes every route.
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.Hosting;
using Patchbay.Controller.State;
using Patchbay.Core.Api;
using Patchbay.Packets;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    private const string JsonMediaType = "application/json";

    private const string MergePatchMediaType = "application/merge-patch+json";

    private static readonly PatchbayJsonContext Json = PatchbayJsonContext.Default;

    /// <summary>
    /// Serializes label patches: each merges into the labels it reads and stores the whole set, so two at once
    /// could otherwise lose one's change. Patches are rare; one at a time costs nothing.
    /// </summary>
    private static readonly SemaphoreSlim LabelPatches = new(1, 1);

    public static IEndpointRouteBuilder MapPatchbayApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/healthz", () => Results.Text("ok\n"))
            .WithSummary("The process is alive.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
        routes.MapGet("/readyz", Ready)
            .WithSummary("The state is loaded and the OpenFlow listener is started.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        routes.MapOpenApi(OpenApiPath);
        MapTenants(routes.MapGroup("/v1/tenants").WithTags("tenants"));
        MapNetworks(routes.MapGroup("/v1/networks").WithTags("networks"));
        MapEndpoints(routes.MapGroup("/v1/endpoints").WithTags("endpoints"));
        MapHosts(routes.MapGroup("/v1/hosts").WithTags("hosts"));
        MapConversations(routes.MapGroup("/v1/conversations").WithTags("conversations"));
        MapDrops(routes.MapGroup("/v1/drops").WithTags("drops"));
        MapPolicies(routes);
        MapTrace(routes);
        return routes;
    }

    private static IResult Ready(IControllerState state, ControllerOptions options, OpenFlowService openFlow)
    {
        List<string> missing = [];
        if (!state.IsReady)
        {
            missing.Add("the state is not loaded from the store yet");
        }

        if (options.OpenFlow.Count > 0 && openFlow.Endpoints.Count == 0)
        {
            missing.Add("the OpenFlow listener is not started");
        }

        return missing.Count == 0
            ? Results.Text("ready\n")
            : ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Not ready", string.Join("; ", missing));
    }

    /// <summary>The create, get and delete metadata every named resource shares, for the OpenAPI document.</summary>
    private static RouteHandlerBuilder DescribeCreate<TBody, TView>(this RouteHandlerBuilder route, string summary)
        where TBody : notnull => route
        .WithSummary(summary)
        .Accepts<TBody>(JsonMediaType)
        .Produces<TView>(StatusCodes.Status201Created)
        .DescribeWrite();

    private static RouteHandlerBuilder DescribeWrite(this RouteHandlerBuilder route) => route
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesValidationProblem(StatusCodes.Status409Conflict)
        .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesValidationProblem(StatusCodes.Status415UnsupportedMediaType);

    private static RouteHandlerBuilder DescribeGet<TView>(this RouteHandlerBuilder route, string summary) => route
        .WithSummary(summary)
        .Produces<TView>()
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static RouteHandlerBuilder DescribePatch<TView>(this RouteHandlerBuilder route, string summary) => route
        .WithSummary(summary)
        .Accepts<ResourcePatch>(MergePatchMediaType, JsonMediaType)
        .Produces<TView>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .DescribeWrite();

    private static RouteHandlerBuilder DescribeDelete(this RouteHandlerBuilder route, string summary) => route
        .WithSummary(summary)
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesValidationProblem(StatusCodes.Status409Conflict);

    private static RouteHandlerBuilder DescribeList<TView>(this RouteHandlerBuilder route, string summary, ListFilters filters) => route
        .WithSummary(summary)
        .Produces<ListResponse<TView>>()
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            ApiOpenApi.AddListParameters(operation, filters);
            return Task.CompletedTask;
        });

    /// <summary>Reads the object's labels, merges the patch into them and stores the result, one patch at a time.</summary>
    private static async Task<T> PatchLabelsAsync<T>(
        JsonDocument patch,
        Func<T> find,
        Func<T, IReadOnlyDictionary<string, string>> labels,
        Func<Dictionary<string, string>, Task<T>> update,
        CancellationToken cancellationToken)
    {
        await LabelPatches.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await update(MergeLabels(patch, labels(find()))).ConfigureAwait(false);
        }
        finally
        {
            LabelPatches.Release();
        }
    }

    /// <summary>
    /// Applies a JSON merge patch's "labels" member to <paramref name="current"/>: a string sets a label, null
    /// removes it, "labels": null removes every label. No other member is mutable.
    /// </summary>
    private static Dictionary<string, string> MergeLabels(JsonDocument patch, IReadOnlyDictionary<string, string> current)
    {
        var labels = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (JsonProperty member in patch.RootElement.EnumerateObject())
        {
            if (member.Name != "labels")
            {
                throw ApiRequestException.Invalid(member.Name, "Immutable field", $"'{member.Name}' cannot be changed; only 'labels' can");
            }

            switch (member.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    labels.Clear();
                    break;
                case JsonValueKind.Object:
                    foreach (JsonProperty label in member.Value.EnumerateObject())
                    {
                        switch (label.Value.ValueKind)
                        {
                            case JsonValueKind.Null:
                                labels.Remove(label.Name);
                                break;
                            case JsonValueKind.String:
                                labels[label.Name] = label.Value.GetString()!;
                                break;
                            default:
                                throw ApiRequestException.Invalid($"labels.{label.Name}", "Invalid label", $"labels.{label.Name} must be a string, or null to remove it; got {Describe(label.Value.ValueKind)}");
                        }
                    }

                    break;
                default:
                    throw ApiRequestException.Invalid("labels", "Invalid labels", $"labels must be an object of strings, or null to remove every label; got {Describe(member.Value.ValueKind)}");
            }
        }

        return labels;
    }

    private static string Describe(JsonValueKind kind) => kind.ToString().ToLowerInvariant();

    private static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string>? labels) =>
        labels ?? new Dictionary<string, string>();

    private static Ipv4Address ParseIp(string text, string field) =>
        Ipv4Address.TryParse(text, CultureInfo.InvariantCulture, out Ipv4Address ip)
            ? ip
            : throw ApiRequestException.Invalid(field, "Invalid address", $"{field} '{text}' is not an IPv4 address");

    private static MacAddress ParseMac(string text, string field) =>
        MacAddress.TryParse(text, CultureInfo.InvariantCulture, out MacAddress mac)
            ? mac
            : throw ApiRequestException.Invalid(field, "Invalid MAC", $"{field} '{text}' is not a MAC address (aa:bb:cc:dd:ee:ff)");

    private static string Location(string collection, string name) => $"/v1/{collection}/{Uri.EscapeDataString(name)}";

    /// <summary>A 201 with a Location header around a JSON body.</summary>
    private sealed class CreatedResult(string location, IResult body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.Location = location;
            return body.ExecuteAsync(httpContext);
        }
    }
}
