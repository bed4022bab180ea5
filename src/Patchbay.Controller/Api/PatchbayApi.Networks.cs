// /v1/networks: create (tenant defaults to "default", gateway to the first host address), list (tenant and
// label filters), get, PATCH labels, delete (refused while endpoints are in it).
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.State;
using Patchbay.Core.Api;
using Patchbay.Core.Model;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const ListFilters NetworkFilters = ListFilters.Tenant | ListFilters.Label;

    private static void MapNetworks(RouteGroupBuilder networks)
    {
        networks.MapPost("", (HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            NetworkCreate create = await ApiBody.ReadAsync(request, ApiBody.Strict.NetworkCreate, cancellationToken).ConfigureAwait(false);
            string name = ApiProblems.Required(create.Name, "name");
            string subnetText = ApiProblems.Required(create.Subnet, "subnet");
            if (!Ipv4Subnet.TryParse(subnetText, out Ipv4Subnet subnet, out string? error))
            {
                throw ApiRequestException.Invalid("subnet", "Invalid subnet", error);
            }

            var parsed = new NetworkRequest(
                name,
                create.Tenant,
                subnet,
                create.Gateway is null ? null : ParseIp(create.Gateway, "gateway"),
                Labels(create.Labels));
            Network network = await state.CreateNetworkAsync(parsed, cancellationToken).ConfigureAwait(false);
            return new CreatedResult(Location("networks", network.Name), Results.Json(ApiViews.View(network), Json.NetworkView, statusCode: StatusCodes.Status201Created));
        })).DescribeCreate<NetworkCreate, NetworkView>("Create a network.");

        networks.MapGet("", (HttpRequest request, IControllerState state) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, NetworkFilters);
            IEnumerable<Network> matching = state.Networks()
                .Where(n => (list.Tenant is null || n.Tenant == list.Tenant) && list.MatchesLabels(n.Labels));
            return Results.Json(list.Page(matching, n => n.Name, ApiViews.View), Json.ListResponseNetworkView);
        })).DescribeList<NetworkView>("List networks.", NetworkFilters);

        networks.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindNetwork(name) is Network network ? Results.Json(ApiViews.View(network), Json.NetworkView) : ApiProblems.NotFound("network", name))
            .DescribeGet<NetworkView>("Get a network.");

        networks.MapPatch("/{name}", (string name, HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            using JsonDocument patch = await ApiBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            Network updated = await PatchLabelsAsync(
                patch,
                () => state.FindNetwork(name) ?? throw ControllerStateException.NotFound("network", name),
                current => current.Labels,
                labels => state.UpdateNetworkLabelsAsync(name, labels, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return Results.Json(ApiViews.View(updated), Json.NetworkView);
        })).DescribePatch<NetworkView>("Change a network's labels (JSON merge patch).");

        networks.MapDelete("/{name}", (string name, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            await state.DeleteNetworkAsync(name, cancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        })).DescribeDelete("Delete a network that has no endpoints.");
    }
}
