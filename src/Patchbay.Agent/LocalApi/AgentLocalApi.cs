// The agent's local API on its unix socket (the lab and the CNI plugin call it): plug, unplug, list, health.
// JSON through PatchbayJsonContext; every refusal is RFC 9457 problem details.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Agent.Plugging;
using Patchbay.Core.Api;

namespace Patchbay.Agent.LocalApi;

public static class AgentLocalApi
{
    private static PatchbayJsonContext Json => PatchbayJsonContext.Default;

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder routes, EndpointPlugger plugger)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        routes.MapPost("/v1/plug", (HttpRequest request, CancellationToken cancellationToken) => GuardAsync(async () =>
        {
            PlugRequest plug = await ReadBodyAsync(request, Json.PlugRequest, cancellationToken);
            return Results.Json(await plugger.PlugAsync(plug, cancellationToken), Json.PlugResult);
        }));
        routes.MapPost("/v1/unplug", (HttpRequest request, CancellationToken cancellationToken) => GuardAsync(async () =>
        {
            UnplugRequest unplug = await ReadBodyAsync(request, Json.UnplugRequest, cancellationToken);
            await plugger.UnplugAsync(unplug.Endpoint, cancellationToken);
            return Results.NoContent();
        }));
        routes.MapGet("/v1/endpoints", (CancellationToken cancellationToken) => GuardAsync(async () =>
            Results.Json(new ListResponse<PlugResult>(await plugger.ListAsync(cancellationToken)), Json.ListResponsePlugResult)));
        return routes;
    }

    private static async Task<IResult> GuardAsync(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (PlugException e)
        {
            return Results.Problem(detail: e.Message, statusCode: (int)e.Status, title: e.Title);
        }
    }

    private static async Task<T> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new PlugException(System.Net.HttpStatusCode.BadRequest, "Unsupported body", $"the body must be JSON (Content-Type: application/json), got '{request.ContentType ?? "none"}'");
        }

        try
        {
            return await request.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw new PlugException(System.Net.HttpStatusCode.BadRequest, "Missing body", $"the body must be a JSON {typeof(T).Name} object");
        }
        catch (JsonException e)
        {
            throw new PlugException(System.Net.HttpStatusCode.BadRequest, "Malformed body", $"the body is not a valid {typeof(T).Name}: {e.Message}");
        }
    }
}
