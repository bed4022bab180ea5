// GET /v1/drops/recent (docs/api.md, "Drops"): the first packets the controller refused, one item per source,
// destination, protocol/port, reason and deciding rule, with its packet count; filters tenant and host. Pages
// are in the order of that key; `patchbay drops` shows them.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.State;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const ListFilters RecentDropFilters = ListFilters.Tenant | ListFilters.Host;

    private static void MapRecentDrops(RouteGroupBuilder drops) =>
        drops.MapGet("/recent", (HttpRequest request, RecentDrops recent) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, RecentDropFilters);
            IEnumerable<RecentDrop> matching = recent.List().Where(d =>
                (list.Tenant is null || d.Tenant == list.Tenant) && (list.Host is null || d.Host == list.Host));
            return Results.Json(list.Page(matching, RecentDropKey, View), Json.ListResponseRecentDropView);
        })).DescribeList<RecentDropView>("List the first packets the controller refused, by source, destination, protocol/port, reason and rule.", RecentDropFilters);

    private static string RecentDropKey(RecentDrop drop) =>
        string.Join('\0', drop.Key.Source, drop.Key.Destination, drop.Key.Protocol, drop.Key.Reason, drop.Key.Rule ?? string.Empty);

    private static RecentDropView View(RecentDrop drop) => new(
        drop.Key.Source,
        drop.Key.Destination,
        drop.Key.Protocol,
        drop.Key.Reason,
        drop.Key.Rule,
        drop.Host,
        drop.Tenant,
        drop.Packets,
        drop.FirstSeen,
        drop.LastSeen);
}
