// /v1/endpoints: create (address and MAC allocated when absent), list (tenant, network, host and label
// filters), get, PATCH labels, PUT .../port (the agent reports the OpenFlow port it plugged), delete.
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.OpenFlow.Actions;
using Endpoint = Patchbay.Core.Model.Endpoint;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const ListFilters EndpointFilters = ListFilters.Tenant | ListFilters.Network | ListFilters.Host | ListFilters.Label;

    private static void MapEndpoints(RouteGroupBuilder endpoints)
    {
        endpoints.MapPost("", (HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            EndpointCreate create = await ApiBody.ReadAsync(request, ApiBody.Strict.EndpointCreate, cancellationToken).ConfigureAwait(false);
            var parsed = new EndpointRequest(
                ApiProblems.Required(create.Name, "name"),
                ApiProblems.Required(create.Network, "network"),
                ApiProblems.Required(create.Host, "host"),
                create.Tenant,
                create.Ip is null ? null : ParseIp(create.Ip, "ip"),
                create.Mac is null ? null : ParseMac(create.Mac, "mac"),
                Labels(create.Labels));
            Endpoint endpoint = await state.CreateEndpointAsync(parsed, cancellationToken).ConfigureAwait(false);
            return new CreatedResult(Location("endpoints", endpoint.Name), Results.Json(EndpointView(state, endpoint), Json.EndpointView, statusCode: StatusCodes.Status201Created));
        })).DescribeCreate<EndpointCreate, EndpointView>("Create an endpoint.");

        endpoints.MapGet("", (HttpRequest request, IControllerState state) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, EndpointFilters);
            IEnumerable<Endpoint> matching = state.Endpoints(list.Host, list.Network)
                .Where(e => (list.Tenant is null || e.Tenant == list.Tenant) && list.MatchesLabels(e.Labels));
            return Results.Json(list.Page(matching, e => e.Name, e => EndpointView(state, e)), Json.ListResponseEndpointView);
        })).DescribeList<EndpointView>("List endpoints.", EndpointFilters);

        endpoints.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindEndpoint(name) is Endpoint endpoint ? Results.Json(EndpointView(state, endpoint), Json.EndpointView) : ApiProblems.NotFound("endpoint", name))
            .DescribeGet<EndpointView>("Get an endpoint.");

        endpoints.MapPatch("/{name}", (string name, HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            using JsonDocument patch = await ApiBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            Endpoint updated = await PatchLabelsAsync(
                patch,
                () => state.FindEndpoint(name) ?? throw ControllerStateException.NotFound("endpoint", name),
                current => current.Labels,
                labels => state.UpdateEndpointLabelsAsync(name, labels, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return Results.Json(EndpointView(state, updated), Json.EndpointView);
        })).DescribePatch<EndpointView>("Change an endpoint's labels (JSON merge patch).");

        endpoints.MapPut("/{name}/port", (string name, HttpRequest request, IControllerState state, SwitchManager switches, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            CancellationToken cancellationToken = lifetime.ApplicationStopping;
            EndpointPort port = await ApiBody.ReadAsync(request, ApiBody.Strict.EndpointPort, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (port.OvsPort is 0 or > OfpPortNo.Max)
            {
                throw ApiRequestException.Invalid("ovsPort", "Invalid port", $"ovsPort {port.OvsPort} is not an OpenFlow port number (1..{OfpPortNo.Max})");
            }

            (Endpoint before, Endpoint after) = await state.SetEndpointPortAsync(name, port.OvsPort, cancellationToken).ConfigureAwait(false);
            await switches.EndpointPortChangedAsync(before, after, cancellationToken).ConfigureAwait(false);
            return Results.Json(EndpointView(state, after), Json.EndpointView);
        }))
            .WithSummary("Record the OpenFlow port the agent plugged the endpoint into.")
            .Accepts<EndpointPort>(JsonMediaType)
            .Produces<EndpointView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DescribeWrite();

        endpoints.MapDelete("/{name}", (string name, IControllerState state, SwitchManager switches, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            Endpoint endpoint = await state.DeleteEndpointAsync(name, lifetime.ApplicationStopping).ConfigureAwait(false);
            await switches.EndpointDeletedAsync(endpoint, lifetime.ApplicationStopping).ConfigureAwait(false);
            return Results.NoContent();
        })).DescribeDelete("Delete an endpoint, releasing its address and removing its flows.");
    }

    private static EndpointView EndpointView(IControllerState state, Endpoint endpoint) =>
        ApiViews.View(endpoint, state.FindNetwork(endpoint.Network) ?? throw new InvalidOperationException($"endpoint {endpoint.Name} names network {endpoint.Network}, which is gone"));
}
