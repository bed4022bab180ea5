// /v1/conversations (read-only, live: list with tenant, network, host and state filters, in id order; get
// by id) and /v1/drops (packets the switches and the controller dropped, by host and reason; the recent drops
// by rule are in PatchbayApi.Drops.cs).
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Model;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private const ListFilters ConversationFilters = ListFilters.Tenant | ListFilters.Network | ListFilters.Host | ListFilters.State;

    private const ListFilters DropFilters = ListFilters.Host;

    private static void MapConversations(RouteGroupBuilder conversations)
    {
        conversations.MapGet("", (HttpRequest request, IControllerState state) => ApiProblems.Guard(() =>
        {
            ListRequest list = ListRequest.Parse(request.Query, ConversationFilters);
            ConversationState? filter = list.State switch
            {
                null => null,
                "active" => ConversationState.Active,
                "ended" => ConversationState.Ended,
                _ => throw ApiRequestException.Invalid("state", "Invalid parameter", $"state must be 'active' or 'ended', not '{list.State}'"),
            };
            uint? networkId = list.Network is null ? null : state.FindNetwork(list.Network)?.Id ?? uint.MaxValue;
            IEnumerable<ConversationRecord> matching = state.Conversations(filter).Where(c =>
                (list.Tenant is null || c.Conversation.Tenant == list.Tenant)
                && (networkId is null || c.NetworkId == networkId)
                && (list.Host is null || c.SourceHost == list.Host || c.DestinationHost == list.Host));
            return Results.Json(list.Page(matching, c => ListRequest.ConversationKey(c.Id), ApiViews.View), Json.ListResponseConversationView);
        })).DescribeList<ConversationView>("List conversations, in id order.", ConversationFilters);

        conversations.MapGet("/{id}", (string id, IControllerState state) =>
            ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number)
                ? state.FindConversation(number) is ConversationRecord record
                    ? Results.Json(ApiViews.View(record), Json.ConversationView)
                    : ApiProblems.NotFound("conversation", id)
                : ApiProblems.Problem(StatusCodes.Status400BadRequest, "Invalid id", $"conversation id '{id}' is not a whole number", "id"))
            .DescribeGet<ConversationView>("Get a conversation by id.")
            .ProducesValidationProblem(StatusCodes.Status400BadRequest);
    }

    private static void MapDrops(RouteGroupBuilder drops)
    {
        drops.MapGet("", (HttpRequest request, SwitchManager switches, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
        {
            ListRequest list = ListRequest.Parse(request.Query, DropFilters);
            IReadOnlyList<DropCount> counted = await switches.ReadDropsAsync(cancellationToken).ConfigureAwait(false);
            IEnumerable<DropCount> matching = counted.Where(d => list.Host is null || d.Host == list.Host);
            return Results.Json(list.Page(matching, d => d.Host + "\0" + d.Reason, ApiViews.View), Json.ListResponseDropView);
        })).DescribeList<DropView>("List drop counters by host and reason.", DropFilters);

        MapRecentDrops(drops);
    }
}
