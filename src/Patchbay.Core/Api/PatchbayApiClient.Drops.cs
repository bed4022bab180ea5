// GET /v1/drops/recent: the first packets the controller refused, by source, destination, protocol/port, reason
// and the deciding rule (docs/api.md, "Drops"), one page or all of them.
namespace Patchbay.Core.Api;

public sealed partial class PatchbayApiClient
{
    /// <summary>One page of the recent drops; <see cref="ListQuery.Tenant"/> and <see cref="ListQuery.Host"/> filter.</summary>
    public Task<ListResponse<RecentDropView>> ListRecentDropsAsync(ListQuery query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ListPath("v1/drops/recent", query), Json.ListResponseRecentDropView, cancellationToken);

    /// <summary>Every recent drop (all pages).</summary>
    public Task<IReadOnlyList<RecentDropView>> ListAllRecentDropsAsync(ListQuery? query = null, CancellationToken cancellationToken = default) =>
        ListAllAsync(ListRecentDropsAsync, query, cancellationToken);
}
