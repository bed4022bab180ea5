// What to monitor in one table: <monitor-request> (RFC 7047 section 4.1.5) and <monitor-cond-request>
// (ovsdb-server(7) "monitor_cond"), which adds "where" conditions evaluated by the server.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Operations;

namespace Patchbay.Ovsdb.Monitoring;

/// <summary>Which kinds of change the server reports; all of them unless told otherwise.</summary>
public sealed record OvsdbMonitorSelect(bool Initial = true, bool Insert = true, bool Delete = true, bool Modify = true)
{
    public JsonObject ToJson() => new()
    {
        ["initial"] = Initial,
        ["insert"] = Insert,
        ["delete"] = Delete,
        ["modify"] = Modify,
    };
}

/// <summary>
/// One table to monitor. <paramref name="Columns"/> null means every column; <paramref name="Where"/> is only allowed
/// with monitor_cond, where an empty list means every row.
/// </summary>
public sealed record OvsdbMonitorRequest(
    string Table,
    IReadOnlyList<string>? Columns = null,
    IReadOnlyList<OvsdbCondition>? Where = null,
    OvsdbMonitorSelect? Select = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Columns is not null)
        {
            json["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode)JsonValue.Create(c))]);
        }

        if (Where is not null)
        {
            json["where"] = new JsonArray([.. Where.Select(c => c.ToJson())]);
        }

        if (Select is not null)
        {
            json["select"] = Select.ToJson();
        }

        return json;
    }
}
