// One element of a transact result (RFC 7047 section 5.2): "uuid" for insert, "rows" for select, "count" for update,
// mutate and delete, nothing for the rest.
using System.Text.Json;
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Operations;

public sealed record OvsdbOperationResult(Guid? Uuid, IReadOnlyList<OvsdbRow>? Rows, long? Count)
{
    public static OvsdbOperationResult Empty { get; } = new(null, null, null);

    /// <summary>The inserted row's uuid; throws when this result is not an insert's.</summary>
    public Guid InsertedUuid => Uuid ?? throw new InvalidOperationException("this result carries no uuid (not an insert)");

    public IReadOnlyList<OvsdbRow> SelectedRows => Rows ?? throw new InvalidOperationException("this result carries no rows (not a select)");

    internal static OvsdbOperationResult FromJson(JsonNode? json)
    {
        if (json is null)
        {
            return Empty;
        }

        if (json is not JsonObject obj)
        {
            return OvsdbException.ThrowProtocol<OvsdbOperationResult>($"operation result {json.ToJsonString()} is not an object");
        }

        Guid? uuid = obj["uuid"] is JsonNode u ? OvsdbValue.AtomFromJson(u).AsUuid() : null;
        IReadOnlyList<OvsdbRow>? rows = obj["rows"] switch
        {
            null => null,
            JsonArray array => [.. array.Select(OvsdbRow.FromJson)],
            var other => OvsdbException.ThrowProtocol<IReadOnlyList<OvsdbRow>>($"\"rows\" {other.ToJsonString()} is not an array"),
        };
        long? count = obj["count"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
            var other => OvsdbException.ThrowProtocol<long>($"\"count\" {other.ToJsonString()} is not a number"),
        };
        return new OvsdbOperationResult(uuid, rows, count);
    }
}
