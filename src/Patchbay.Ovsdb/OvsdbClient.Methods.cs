// The RFC 7047 section 4.1 methods other than monitoring: list_dbs, get_schema, transact, echo.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Operations;
using Patchbay.Ovsdb.Schema;

namespace Patchbay.Ovsdb;

public sealed partial class OvsdbClient
{
    public async Task<IReadOnlyList<string>> ListDbsAsync(CancellationToken cancellationToken = default)
    {
        JsonNode? result = await CallAsync("list_dbs", [], cancellationToken).ConfigureAwait(false);
        return result is JsonArray names
            ? [.. names.Select(n => OvsdbSchema.String(n, "database name"))]
            : OvsdbException.ThrowProtocol<IReadOnlyList<string>>("list_dbs did not return an array");
    }

    public async Task<OvsdbSchema> GetSchemaAsync(string database, CancellationToken cancellationToken = default) =>
        OvsdbSchema.Parse(await CallAsync("get_schema", [database], cancellationToken).ConfigureAwait(false));

    public Task<IReadOnlyList<OvsdbOperationResult>> TransactAsync(string database, params OvsdbOperation[] operations) =>
        TransactAsync(database, operations, CancellationToken.None);

    /// <summary>
    /// Runs the operations as one atomic transaction and returns one result per operation. If any operation or the
    /// commit fails, nothing was changed and <see cref="OvsdbException"/> says which (<see cref="OvsdbException.OperationIndex"/>).
    /// </summary>
    public async Task<IReadOnlyList<OvsdbOperationResult>> TransactAsync(string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken cancellationToken)
    {
        var parameters = new JsonArray(JsonValue.Create(database));
        foreach (OvsdbOperation operation in operations)
        {
            parameters.Add(operation.ToJson());
        }

        JsonNode? result = await CallAsync("transact", parameters, cancellationToken).ConfigureAwait(false);
        if (result is not JsonArray results)
        {
            return OvsdbException.ThrowProtocol<IReadOnlyList<OvsdbOperationResult>>("transact did not return an array");
        }

        // RFC 7047 section 4.1.3: the failed operation's element is an error (later ones null); an extra element past
        // the last operation is the error of a commit that failed after every operation succeeded.
        for (int i = 0; i < results.Count; i++)
        {
            if (results[i] is JsonObject element && element["error"] is JsonNode error)
            {
                (string? text, string? details) = ErrorText(element);
                string what = i < operations.Count ? $"operation {i} ({operations[i].Op})" : "commit";
                throw new OvsdbException(
                    OvsdbErrorKind.Operation,
                    $"OVSDB transaction on {database} failed at {what}: {text ?? error.ToJsonString()}{(details is null ? string.Empty : $" ({details})")}",
                    text,
                    details,
                    i);
            }
        }

        if (results.Count < operations.Count)
        {
            OvsdbException.ThrowProtocol($"transact returned {results.Count} results for {operations.Count} operations");
        }

        return [.. results.Take(operations.Count).Select(OvsdbOperationResult.FromJson)];
    }

    /// <summary>Round-trips an echo request (RFC 7047 section 4.1.11), proving the server is alive and the stream in order.</summary>
    public async Task EchoAsync(CancellationToken cancellationToken = default)
    {
        const string Payload = "patchbay";
        JsonNode? result = await CallAsync("echo", [Payload], cancellationToken).ConfigureAwait(false);
        if (result is not JsonArray { Count: 1 } echoed || echoed[0]?.ToString() != Payload)
        {
            OvsdbException.ThrowProtocol($"echo returned {result?.ToJsonString() ?? "null"} instead of [\"{Payload}\"]");
        }
    }
}
