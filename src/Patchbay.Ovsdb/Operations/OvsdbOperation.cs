// The transact operations of RFC 7047 section 5.2, each rendered to its JSON object with members in the RFC's order.
using System.Text.Json.Nodes;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Operations;

public abstract record OvsdbOperation
{
    /// <summary>The "op" member: "insert", "select", ...</summary>
    public abstract string Op { get; }

    public abstract JsonObject ToJson();

    private protected JsonObject Start() => new() { ["op"] = Op };

    private protected static JsonArray WhereJson(IReadOnlyList<OvsdbCondition> where) => [.. where.Select(c => c.ToJson())];

    private protected static JsonObject RowJson(IReadOnlyDictionary<string, OvsdbValue> row) =>
        new([.. row.Select(c => new KeyValuePair<string, JsonNode?>(c.Key, c.Value.ToJson()))]);

    private protected static JsonArray Names(IEnumerable<string> names) => [.. names.Select(n => (JsonNode)JsonValue.Create(n))];
}

/// <summary>Inserts a row; <paramref name="UuidName"/> lets later operations refer to it as ["named-uuid", name].</summary>
public sealed record InsertOperation(string Table, IReadOnlyDictionary<string, OvsdbValue> Row, string? UuidName = null) : OvsdbOperation
{
    public override string Op => "insert";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["table"] = Table;
        json["row"] = RowJson(Row);
        if (UuidName is not null)
        {
            json["uuid-name"] = UuidName;
        }

        return json;
    }
}

/// <summary>Selects the rows matching every condition; <paramref name="Columns"/> null returns all columns.</summary>
public sealed record SelectOperation(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyList<string>? Columns = null) : OvsdbOperation
{
    public override string Op => "select";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["table"] = Table;
        json["where"] = WhereJson(Where);
        if (Columns is not null)
        {
            json["columns"] = Names(Columns);
        }

        return json;
    }
}

public sealed record UpdateOperation(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyDictionary<string, OvsdbValue> Row) : OvsdbOperation
{
    public override string Op => "update";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["table"] = Table;
        json["where"] = WhereJson(Where);
        json["row"] = RowJson(Row);
        return json;
    }
}

/// <summary>Changes columns in place on the server, so concurrent writers of other elements are not overwritten.</summary>
public sealed record MutateOperation(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyList<OvsdbMutation> Mutations) : OvsdbOperation
{
    public override string Op => "mutate";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["table"] = Table;
        json["where"] = WhereJson(Where);
        json["mutations"] = new JsonArray([.. Mutations.Select(m => m.ToJson())]);
        return json;
    }
}

public sealed record DeleteOperation(string Table, IReadOnlyList<OvsdbCondition> Where) : OvsdbOperation
{
    public override string Op => "delete";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["table"] = Table;
        json["where"] = WhereJson(Where);
        return json;
    }
}

/// <summary>
/// Aborts the transaction unless the selected rows' <paramref name="Columns"/> equal (<paramref name="Until"/> "==") or
/// differ from ("!=") <paramref name="Rows"/>. A timeout of 0 checks once, which makes it an optimistic-concurrency guard.
/// </summary>
public sealed record WaitOperation(
    string Table,
    IReadOnlyList<OvsdbCondition> Where,
    IReadOnlyList<string> Columns,
    string Until,
    IReadOnlyList<IReadOnlyDictionary<string, OvsdbValue>> Rows,
    int? TimeoutMilliseconds = 0) : OvsdbOperation
{
    public override string Op => "wait";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        if (TimeoutMilliseconds is int timeout)
        {
            json["timeout"] = timeout;
        }

        json["table"] = Table;
        json["where"] = WhereJson(Where);
        json["columns"] = Names(Columns);
        json["until"] = Until;
        json["rows"] = new JsonArray([.. Rows.Select(r => (JsonNode)RowJson(r))]);
        return json;
    }
}

public sealed record CommitOperation(bool Durable) : OvsdbOperation
{
    public override string Op => "commit";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["durable"] = Durable;
        return json;
    }
}

public sealed record AbortOperation : OvsdbOperation
{
    public override string Op => "abort";

    public override JsonObject ToJson() => Start();
}

/// <summary>Records a comment in the server's log with the transaction (ovs-vsctl does the same).</summary>
public sealed record CommentOperation(string Comment) : OvsdbOperation
{
    public override string Op => "comment";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["comment"] = Comment;
        return json;
    }
}

public sealed record AssertOperation(string Lock) : OvsdbOperation
{
    public override string Op => "assert";

    public override JsonObject ToJson()
    {
        JsonObject json = Start();
        json["lock"] = Lock;
        return json;
    }
}
