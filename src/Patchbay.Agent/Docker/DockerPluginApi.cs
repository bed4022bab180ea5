// The routes Docker's plugin client calls: POST /Plugin.Activate, /NetworkDriver.*, /IpamDriver.* with a JSON body
// (possibly empty), answered as application/vnd.docker.plugins.v1.2+json. A refusal is HTTP 500 with { "Err": reason },
// a body that is not the method's JSON 400 with { "Err": reason }, an unknown method 404 with { "Err": reason }.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Patchbay.Agent.Docker;

public static class DockerPluginApi
{
    public const string ContentType = "application/vnd.docker.plugins.v1.2+json";

    private static DockerJsonContext Json => DockerJsonContext.Default;

    public static IEndpointRouteBuilder MapDockerPlugin(this IEndpointRouteBuilder routes, DockerDriver driver)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(driver);
        DockerResponse ok = new();
        Static(routes, "/Plugin.Activate", new ActivateResponse(["NetworkDriver", "IpamDriver"]), Json.ActivateResponse);
        Static(routes, "/NetworkDriver.GetCapabilities", DockerDriver.Capabilities, Json.NetworkCapabilitiesResponse);
        Map(routes, "/NetworkDriver.CreateNetwork", Json.CreateNetworkRequest, Json.DockerResponse, driver.CreateNetworkAsync);
        Map(routes, "/NetworkDriver.DeleteNetwork", Json.NetworkRequest, Json.DockerResponse, driver.DeleteNetworkAsync);
        Map(routes, "/NetworkDriver.CreateEndpoint", Json.CreateEndpointRequest, Json.CreateEndpointResponse, driver.CreateEndpointAsync);
        Map(routes, "/NetworkDriver.DeleteEndpoint", Json.EndpointRequest, Json.DockerResponse, driver.DeleteEndpointAsync);
        Map(routes, "/NetworkDriver.EndpointOperInfo", Json.EndpointRequest, Json.EndpointInfoResponse, driver.EndpointOperInfoAsync);
        Map(routes, "/NetworkDriver.Join", Json.JoinRequest, Json.JoinResponse, driver.JoinAsync);
        Map(routes, "/NetworkDriver.Leave", Json.EndpointRequest, Json.DockerResponse, driver.LeaveAsync);
        Map(routes, "/NetworkDriver.DiscoverNew", Json.DiscoveryRequest, Json.DockerResponse, (_, _) => Task.FromResult(ok));
        Map(routes, "/NetworkDriver.DiscoverDelete", Json.DiscoveryRequest, Json.DockerResponse, (_, _) => Task.FromResult(ok));
        Map(routes, "/NetworkDriver.ProgramExternalConnectivity", Json.ExternalConnectivityRequest, Json.DockerResponse, (r, _) => Task.FromResult(DockerDriver.ProgramExternalConnectivity(r)));
        Map(routes, "/NetworkDriver.RevokeExternalConnectivity", Json.ExternalConnectivityRequest, Json.DockerResponse, (_, _) => Task.FromResult(ok));
        Static(routes, "/IpamDriver.GetCapabilities", DockerDriver.IpamCapabilities, Json.IpamCapabilitiesResponse);
        Static(routes, "/IpamDriver.GetDefaultAddressSpaces", DockerDriver.AddressSpaces, Json.AddressSpacesResponse);
        Map(routes, "/IpamDriver.RequestPool", Json.RequestPoolRequest, Json.RequestPoolResponse, (r, _) => Task.FromResult(DockerDriver.RequestPool(r)));
        Map(routes, "/IpamDriver.ReleasePool", Json.ReleasePoolRequest, Json.DockerResponse, driver.ReleasePoolAsync);
        Map(routes, "/IpamDriver.RequestAddress", Json.RequestAddressRequest, Json.RequestAddressResponse, driver.RequestAddressAsync);
        Map(routes, "/IpamDriver.ReleaseAddress", Json.ReleaseAddressRequest, Json.DockerResponse, driver.ReleaseAddressAsync);
        routes.MapFallback("{*method}", context => WriteAsync(context, StatusCodes.Status404NotFound, new DockerResponse($"the patchbay plugin has no method '{context.Request.Path.Value?.TrimStart('/')}'"), Json.DockerResponse));
        return routes;
    }

    private static void Static<TResponse>(IEndpointRouteBuilder routes, string path, TResponse response, JsonTypeInfo<TResponse> responseType) =>
        routes.MapPost(path, context => WriteAsync(context, StatusCodes.Status200OK, response, responseType));

    private static void Map<TRequest, TResponse>(
        IEndpointRouteBuilder routes,
        string path,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        Func<TRequest, CancellationToken, Task<TResponse>> handler)
        where TRequest : class =>
        routes.MapPost(path, async context =>
        {
            TRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, requestType, context.RequestAborted);
            }
            catch (JsonException e)
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, new DockerResponse($"{path.TrimStart('/')}: the body is not valid JSON for this method: {e.Message}"), Json.DockerResponse);
                return;
            }

            if (request is null)
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, new DockerResponse($"{path.TrimStart('/')}: the body must be a JSON object"), Json.DockerResponse);
                return;
            }

            try
            {
                TResponse response = await handler(request, context.RequestAborted);
                int status = response is DockerResponse { Err: not null } ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
                await WriteAsync(context, status, response, responseType);
            }
            catch (DockerDriverException e)
            {
                await WriteAsync(context, StatusCodes.Status500InternalServerError, new DockerResponse(e.Message), Json.DockerResponse);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Docker shows Err to the user; an empty 500 would only say "plugin error".
                await WriteAsync(context, StatusCodes.Status500InternalServerError, new DockerResponse($"{path.TrimStart('/')} failed inside the patchbay driver: {e.Message}"), Json.DockerResponse);
            }
        });

    private static async Task WriteAsync<T>(HttpContext context, int status, T body, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, type, context.RequestAborted);
    }
}
