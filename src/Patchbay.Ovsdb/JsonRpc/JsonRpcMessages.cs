// JSON-RPC 1.0 envelopes (RFC 7047 section 4): request/notification {"method","params","id"} and response
// {"result","error","id"}, serialized through a source-generated context.
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Patchbay.Ovsdb.JsonRpc;

/// <summary>A request; with a null id it is a notification and gets no reply.</summary>
internal sealed record JsonRpcRequest(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("params")] JsonArray Params,
    [property: JsonPropertyName("id")] JsonNode? Id);

internal sealed record JsonRpcResponse(
    [property: JsonPropertyName("result")] JsonNode? Result,
    [property: JsonPropertyName("error")] JsonNode? Error,
    [property: JsonPropertyName("id")] JsonNode? Id);

/// <summary>Any message from the server: a request or notification when "method" is present, else a response.</summary>
internal sealed record JsonRpcIncoming(
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("params")] JsonArray? Params,
    [property: JsonPropertyName("id")] JsonNode? Id,
    [property: JsonPropertyName("result")] JsonNode? Result,
    [property: JsonPropertyName("error")] JsonNode? Error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcResponse))]
[JsonSerializable(typeof(JsonRpcIncoming))]
internal sealed partial class OvsdbJsonContext : JsonSerializerContext;
