// Source-generated JSON for every API shape (camelCase on the wire, nulls omitted).
using System.Text.Json.Serialization;

namespace Patchbay.Core.Api;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(HostRegistration))]
[JsonSerializable(typeof(HostView))]
[JsonSerializable(typeof(ListResponse<HostView>))]
[JsonSerializable(typeof(TenantCreate))]
[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(ListResponse<TenantView>))]
[JsonSerializable(typeof(ResourcePatch))]
[JsonSerializable(typeof(NetworkCreate))]
[JsonSerializable(typeof(NetworkView))]
[JsonSerializable(typeof(ListResponse<NetworkView>))]
[JsonSerializable(typeof(EndpointCreate))]
[JsonSerializable(typeof(EndpointPort))]
[JsonSerializable(typeof(EndpointView))]
[JsonSerializable(typeof(ListResponse<EndpointView>))]
[JsonSerializable(typeof(ConversationView))]
[JsonSerializable(typeof(ListResponse<ConversationView>))]
[JsonSerializable(typeof(DropView))]
[JsonSerializable(typeof(ListResponse<DropView>))]
[JsonSerializable(typeof(RecentDropView))]
[JsonSerializable(typeof(ListResponse<RecentDropView>))]
[JsonSerializable(typeof(PlugRequest))]
[JsonSerializable(typeof(PlugResult))]
[JsonSerializable(typeof(ListResponse<PlugResult>))]
[JsonSerializable(typeof(UnplugRequest))]
[JsonSerializable(typeof(PolicyGroupView))]
[JsonSerializable(typeof(ListResponse<PolicyGroupView>))]
[JsonSerializable(typeof(PolicyRuleView))]
[JsonSerializable(typeof(ListResponse<PolicyRuleView>))]
[JsonSerializable(typeof(ConnectionView))]
[JsonSerializable(typeof(ListResponse<ConnectionView>))]
[JsonSerializable(typeof(ConnectionRequest))]
[JsonSerializable(typeof(PolicyApplyResult))]
[JsonSerializable(typeof(PolicyDecisionView))]
public sealed partial class PatchbayJsonContext : JsonSerializerContext;
