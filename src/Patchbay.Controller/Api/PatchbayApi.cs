// The controller's REST resources (/v1/hosts, networks, endpoints, conversations, drops, /healthz) as
// minimal APIs. Handlers parse and validate, call the state, and tell the switch manager what changed;
// switch programming runs to its end even if the client hangs up (only shutdown cancels it), so a
// switch is never left with half an endpoint.
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
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Endpoint = Patchbay.Core.Model.Endpoint;
using Host = Patchbay.Core.Model.Host;

namespace Patchbay.Controller.Api;

public static class PatchbayApi
{
    private static readonly PatchbayJsonContext Json = PatchbayJsonContext.Default;

    public static IEndpointRouteBuilder MapPatchbayApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        MapHosts(routes.MapGroup("/v1/hosts"));
        MapNetworks(routes.MapGroup("/v1/networks"));
        MapEndpoints(routes.MapGroup("/v1/endpoints"));
        routes.MapGet("/v1/conversations", ListConversations);
        routes.MapGet("/v1/drops", async (SwitchManager switches, CancellationToken cancellationToken) =>
        {
            IReadOnlyList<DropCount> drops = await switches.ReadDropsAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(new ListResponse<DropView>([.. drops.Select(ApiViews.View)]), Json.ListResponseDropView);
        });
        return routes;
    }

    private static void MapHosts(RouteGroupBuilder hosts)
    {
        hosts.MapPost("/", (HttpRequest request, IControllerState state, SwitchManager switches, TimeProvider time, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            CancellationToken cancellationToken = lifetime.ApplicationStopping;
            HostRegistration registration = await ApiProblems.ReadBodyAsync(request, Json.HostRegistration, request.HttpContext.RequestAborted).ConfigureAwait(false);
            Host host = ParseHost(registration, time.GetUtcNow());
            Host? before = state.FindHost(host.Name);
            Host stored = await state.UpsertHostAsync(host, cancellationToken).ConfigureAwait(false);
            bool changed = before is null || before with { State = stored.State, LastSeen = stored.LastSeen } != stored;
            await switches.HostRegisteredAsync(stored, changed, cancellationToken).ConfigureAwait(false);
            return Results.Json(ApiViews.View(state.FindHost(host.Name) ?? stored), Json.HostView);
        }));
        hosts.MapGet("/", (IControllerState state) =>
            Results.Json(new ListResponse<HostView>([.. state.Hosts().Select(ApiViews.View)]), Json.ListResponseHostView));
        hosts.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindHost(name) is Host host ? Results.Json(ApiViews.View(host), Json.HostView) : ApiProblems.NotFound("host", name));
    }

    private static void MapNetworks(RouteGroupBuilder networks)
    {
        networks.MapPost("/", (HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            NetworkCreate create = await ApiProblems.ReadBodyAsync(request, Json.NetworkCreate, cancellationToken).ConfigureAwait(false);
            string name = ApiProblems.Required(create.Name, "name");
            string tenant = ApiProblems.Required(create.Tenant, "tenant");
            if (!Ipv4Subnet.TryParse(ApiProblems.Required(create.Subnet, "subnet"), out Ipv4Subnet subnet, out string? error))
            {
                return ApiProblems.Invalid("Invalid subnet", error);
            }

            Ipv4Address gateway = create.Gateway is null ? subnet.FirstHost : ParseIp(create.Gateway, "gateway");
            Network network = await state.CreateNetworkAsync(new NetworkRequest(name, tenant, subnet, gateway, new Dictionary<string, string>()), cancellationToken).ConfigureAwait(false);
            return Created($"/v1/networks/{Uri.EscapeDataString(network.Name)}", Results.Json(ApiViews.View(network), Json.NetworkView, statusCode: StatusCodes.Status201Created));
        }));
        networks.MapGet("/", (IControllerState state) =>
            Results.Json(new ListResponse<NetworkView>([.. state.Networks().Select(ApiViews.View)]), Json.ListResponseNetworkView));
        networks.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindNetwork(name) is Network network ? Results.Json(ApiViews.View(network), Json.NetworkView) : ApiProblems.NotFound("network", name));
        networks.MapDelete("/{name}", (string name, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            await state.DeleteNetworkAsync(name, cancellationToken).ConfigureAwait(false);
            return Results.NoContent();
        }));
    }

    private static void MapEndpoints(RouteGroupBuilder endpoints)
    {
        endpoints.MapPost("/", (HttpRequest request, IControllerState state, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            EndpointCreate create = await ApiProblems.ReadBodyAsync(request, Json.EndpointCreate, cancellationToken).ConfigureAwait(false);
            var parsed = new EndpointRequest(
                ApiProblems.Required(create.Name, "name"),
                ApiProblems.Required(create.Network, "network"),
                ApiProblems.Required(create.Host, "host"),
                create.Tenant,
                create.Ip is null ? null : ParseIp(create.Ip, "ip"),
                create.Mac is null ? null : ParseMac(create.Mac, "mac"),
                create.Labels ?? new Dictionary<string, string>());
            Endpoint endpoint = await state.CreateEndpointAsync(parsed, cancellationToken).ConfigureAwait(false);
            return Created($"/v1/endpoints/{Uri.EscapeDataString(endpoint.Name)}", Results.Json(EndpointView(state, endpoint), Json.EndpointView, statusCode: StatusCodes.Status201Created));
        }));
        endpoints.MapGet("/", (string? host, string? network, IControllerState state) =>
            Results.Json(new ListResponse<EndpointView>([.. state.Endpoints(host, network).Select(e => EndpointView(state, e))]), Json.ListResponseEndpointView));
        endpoints.MapGet("/{name}", (string name, IControllerState state) =>
            state.FindEndpoint(name) is Endpoint endpoint ? Results.Json(EndpointView(state, endpoint), Json.EndpointView) : ApiProblems.NotFound("endpoint", name));
        endpoints.MapPut("/{name}/port", (string name, HttpRequest request, IControllerState state, SwitchManager switches, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            CancellationToken cancellationToken = lifetime.ApplicationStopping;
            EndpointPort port = await ApiProblems.ReadBodyAsync(request, Json.EndpointPort, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (port.OvsPort is 0 or > OfpMeterId.Max)
            {
                return ApiProblems.Invalid("Invalid port", $"ovsPort {port.OvsPort} is not an OpenFlow port number (1..{OfpMeterId.Max})");
            }

            (Endpoint before, Endpoint after) = await state.SetEndpointPortAsync(name, port.OvsPort, cancellationToken).ConfigureAwait(false);
            await switches.EndpointPortChangedAsync(before, after, cancellationToken).ConfigureAwait(false);
            return Results.Json(EndpointView(state, after), Json.EndpointView);
        }));
        endpoints.MapDelete("/{name}", (string name, IControllerState state, SwitchManager switches, IHostApplicationLifetime lifetime) => ApiProblems.Guard(async () =>
        {
            Endpoint endpoint = await state.DeleteEndpointAsync(name, lifetime.ApplicationStopping).ConfigureAwait(false);
            await switches.EndpointDeletedAsync(endpoint, lifetime.ApplicationStopping).ConfigureAwait(false);
            return Results.NoContent();
        }));
    }

    private static IResult ListConversations(string? state, IControllerState controllerState)
    {
        ConversationState? filter;
        switch (state)
        {
            case null:
                filter = null;
                break;
            case "active":
                filter = ConversationState.Active;
                break;
            case "ended":
                filter = ConversationState.Ended;
                break;
            default:
                return ApiProblems.Invalid("Invalid state", $"state must be 'active' or 'ended', not '{state}'");
        }

        return Results.Json(new ListResponse<ConversationView>([.. controllerState.Conversations(filter).Select(ApiViews.View)]), Json.ListResponseConversationView);
    }

    private static EndpointView EndpointView(IControllerState state, Endpoint endpoint) =>
        ApiViews.View(endpoint, state.FindNetwork(endpoint.Network) ?? throw new InvalidOperationException($"endpoint {endpoint.Name} names network {endpoint.Network}, which is gone"));

    private static CreatedResult Created(string location, IResult body) => new CreatedResult(location, body);

    private static Host ParseHost(HostRegistration registration, DateTimeOffset now)
    {
        string name = ApiProblems.Required(registration.Name, "name");
        string datapath = ApiProblems.Required(registration.DatapathId, "datapathId");
        if (datapath.Length > 16 || !ulong.TryParse(datapath, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong datapathId))
        {
            throw ControllerStateException.Invalid("Invalid datapath id", $"datapathId '{datapath}' is not up to 16 hex digits");
        }

        if (registration.UplinkPort is 0 or > OfpPortNo.Max)
        {
            throw ControllerStateException.Invalid("Invalid port", $"uplinkPort {registration.UplinkPort} is not an OpenFlow port number");
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

    private static Ipv4Address ParseIp(string text, string field) =>
        Ipv4Address.TryParse(text, CultureInfo.InvariantCulture, out Ipv4Address ip)
            ? ip
            : throw ControllerStateException.Invalid("Invalid address", $"{field} '{text}' is not an IPv4 address");

    private static MacAddress ParseMac(string text, string field) =>
        MacAddress.TryParse(text, CultureInfo.InvariantCulture, out MacAddress mac)
            ? mac
            : throw ControllerStateException.Invalid("Invalid MAC", $"{field} '{text}' is not a MAC address (aa:bb:cc:dd:ee:ff)");

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
