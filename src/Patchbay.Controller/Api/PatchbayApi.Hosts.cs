// /v1/hosts: the agent's registration (POST creates or updates by name), list (state filter), get, delete
// (refused while endpoints are on the host). Hosts have no labels, so no PATCH.
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.OpenFlow.Actions;
using Host = Patchbay.Core.Model.Host;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const ListFilters HostFilters = ListFilters.State;

    private static void MapHosts(RouteGroupBuilder hosts)
    {
        hosts.MapPost("", (HttpRequest request, IControllerState state, SwitchManager switches, TimeProvider time, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            CancellationToken cancellationToken = lifetime.ApplicationStopping;
            HostRegistration registration = await ApiBody.ReadAsync(request, ApiBody.Strict.HostRegistration, request.HttpContext.RequestAborted).ConfigureAwait(false);
            Host host = ParseHost(registration, time.GetUtcNow());
            Host? before = state.FindHost(host.Name);
            Host stored = await state.UpsertHostAsync(host, cancellationToken).ConfigureAwait(false);
            bool changed = before is null || before with { State = stored.State, LastSeen = stored.LastSeen } != stored;
            await switches.HostRegisteredAsync(stored, changed, cancellationToken).ConfigureAwait(false);
            return Results.Json(ApiViews.View(state.FindHost(host.Name) ?? stored), Json.HostView);
        }))
            .WithSummary("Register a host (the agent does, at start and after a controller restart); creates or updates it by name.")
            .Accepts<HostRegistration>(JsonMediaType)
            .Produces<HostView>()
            .DescribeWrite();

        hosts.MapGet("", (HttpRequest request, IControllerState state) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, HostFilters);
            HostState? filter = list.State switch
            {
                null => null,
                "registered" => HostState.Registered,
                "connected" => HostState.Connected,
                _ => throw ApiRequestException.Invalid("state", "Invalid parameter", $"state must be 'registered' or 'connected', not '{list.State}'"),
            };
            return Results.Json(list.Page(state.Hosts().Where(h => filter is null || h.State == filter), h => h.Name, ApiViews.View), Json.ListResponseHostView);
        })).DescribeList<HostView>("List hosts.", HostFilters);

        hosts.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindHost(name) is Host host ? Results.Json(ApiViews.View(host), Json.HostView) : ApiProblems.NotFound("host", name))
            .DescribeGet<HostView>("Get a host.");

        hosts.MapDelete("/{name}", (string name, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            await state.DeleteHostAsync(name, cancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        })).DescribeDelete("Delete a host that has no endpoints (its agent registers it again when it restarts).");
    }

    private static Host ParseHost(HostRegistration registration, DateTimeOffset now)
    {
        string name = ApiProblems.Required(registration.Name, "name");
        string datapath = ApiProblems.Required(registration.DatapathId, "datapathId");
        if (datapath.Length > 16 || !ulong.TryParse(datapath, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong datapathId))
        {
            throw ApiRequestException.Invalid("datapathId", "Invalid datapath id", $"datapathId '{datapath}' is not up to 16 hex digits");
        }

        if (registration.UplinkPort is 0 or > OfpPortNo.Max)
        {
            throw ApiRequestException.Invalid("uplinkPort", "Invalid port", $"uplinkPort {registration.UplinkPort} is not an OpenFlow port number");
        }

        return new Host(
            name,
            datapathId,
            ParseMac(ApiProblems.Required(registration.UplinkMac, "uplinkMac"), "uplinkMac"),
            registration.UplinkPort,
            ParseIp(ApiProblems.Required(registration.UnderlayIp, "underlayIp"), "underlayIp"),
            ApiProblems.Required(registration.Segment, "segment"),
            HostState.Registered,
            now);
    }
}
