// /v1/tenants: create, list (label filter), get, PATCH labels, delete (refused while the tenant has networks).
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
    private const ListFilters TenantFilters = ListFilters.Label;

    private static void MapTenants(RouteGroupBuilder tenants)
    {
        tenants.MapPost("", (HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            TenantCreate create = await ApiBody.ReadAsync(request, ApiBody.Strict.TenantCreate, cancellationToken).ConfigureAwait(false);
            Tenant tenant = await state.CreateTenantAsync(ApiProblems.Required(create.Name, "name"), Labels(create.Labels), cancellationToken).ConfigureAwait(false);
            return new CreatedResult(Location("tenants", tenant.Name), Results.Json(ApiViews.View(tenant), Json.TenantView, statusCode: StatusCodes.Status201Created));
        })).DescribeCreate<TenantCreate, TenantView>("Create a tenant.");

        tenants.MapGet("", (HttpRequest request, IControllerState state) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, TenantFilters);
            return Results.Json(list.Page(state.Tenants().Where(t => list.MatchesLabels(t.Labels)), t => t.Name, ApiViews.View), Json.ListResponseTenantView);
        })).DescribeList<TenantView>("List tenants.", TenantFilters);

        tenants.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindTenant(name) is Tenant tenant ? Results.Json(ApiViews.View(tenant), Json.TenantView) : ApiProblems.NotFound("tenant", name))
            .DescribeGet<TenantView>("Get a tenant.");

        tenants.MapPatch("/{name}", (string name, HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            using JsonDocument patch = await ApiBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            Tenant updated = await PatchLabelsAsync(
                patch,
                () => state.FindTenant(name) ?? throw ControllerStateException.NotFound("tenant", name),
                current => current.Labels,
                labels => state.UpdateTenantLabelsAsync(name, labels, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return Results.Json(ApiViews.View(updated), Json.TenantView);
        })).DescribePatch<TenantView>("Change a tenant's labels (JSON merge patch).");

        tenants.MapDelete("/{name}", (string name, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            await state.DeleteTenantAsync(name, cancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        })).DescribeDelete("Delete a tenant that has no networks.");
    }
}
