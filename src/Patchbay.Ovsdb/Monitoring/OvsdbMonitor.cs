// A live monitor: the rows present when it started, then a stream of row changes. It keeps a replica of the monitored
// rows so every update carries whole old and new rows, and so update2 "modify" diffs can be applied.
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Patchbay.Ovsdb.Schema;
using Patchbay.Ovsdb.Values;

namespace Patchbay.Ovsdb.Monitoring;

public sealed class OvsdbMonitor : IAsyncDisposable
{
    private readonly OvsdbClient _client;
    private readonly OvsdbSchema? _schema;
    private readonly Channel<OvsdbRowUpdate> _updates = Channel.CreateUnbounded<OvsdbRowUpdate>(new UnboundedChannelOptions { SingleWriter = true });

    // Touched only by the client's read loop, which delivers the initial reply and every notification in order.
    private readonly Dictionary<string, Dictionary<Guid, OvsdbRow>> _replica = new(StringComparer.Ordinal);

    internal OvsdbMonitor(OvsdbClient client, string database, JsonNode id, OvsdbSchema? schema)
    {
        _client = client;
        Database = database;
        Id = id;
        Key = id.ToJsonString();
        _schema = schema;
    }

    public string Database { get; }

    /// <summary>The monitor's &lt;json-value&gt;, the id the server puts in every update for it.</summary>
    public JsonNode Id { get; }

    /// <summary>True for monitor_cond, whose updates are update2 diffs.</summary>
    public bool IsConditional => _schema is not null;

    public IReadOnlyList<OvsdbRowUpdate> Initial { get; private set; } = [];

    /// <summary>Row changes after <see cref="Initial"/>, in server order; completes when the monitor is cancelled or the connection closes.</summary>
    public ChannelReader<OvsdbRowUpdate> Updates => _updates.Reader;

    internal string Key { get; }

    public Task CancelAsync(CancellationToken cancellationToken = default) => _client.MonitorCancelAsync(this, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_updates.Reader.Completion.IsCompleted && !_client.Completion.IsCompleted)
        {
            try
            {
                await CancelAsync().ConfigureAwait(false);
            }
            catch (OvsdbException)
            {
                // The connection went away meanwhile; there is nothing left to cancel.
            }
        }

        Complete(null);
    }

    internal void ApplyInitial(JsonNode? tableUpdates) => Initial = Apply(tableUpdates, initial: true);

    internal void ApplyUpdate(JsonNode? tableUpdates)
    {
        foreach (OvsdbRowUpdate update in Apply(tableUpdates, initial: false))
        {
            _updates.Writer.TryWrite(update);
        }
    }

    internal void Complete(Exception? error) => _updates.Writer.TryComplete(error);

    private List<OvsdbRowUpdate> Apply(JsonNode? tableUpdates, bool initial)
    {
        var result = new List<OvsdbRowUpdate>();
        if (tableUpdates is null)
        {
            return result;
        }

        foreach ((string table, JsonNode? rows) in OvsdbSchema.Object(tableUpdates, "table-updates"))
        {
            if (!_replica.TryGetValue(table, out Dictionary<Guid, OvsdbRow>? replica))
            {
                replica = [];
                _replica[table] = replica;
            }

            foreach ((string uuidText, JsonNode? rowUpdate) in OvsdbSchema.Object(rows, $"table-update for {table}"))
            {
                if (!Guid.TryParseExact(uuidText, "D", out Guid uuid))
                {
                    OvsdbException.ThrowProtocol($"row key '{uuidText}' in {table} is not a uuid");
                }

                JsonObject change = OvsdbSchema.Object(rowUpdate, $"row-update for {table} {uuid}");
                replica.TryGetValue(uuid, out OvsdbRow? old);
                OvsdbRowUpdate update = IsConditional ? FromUpdate2(table, uuid, change, old) : FromUpdate(table, uuid, change, old, initial);
                if (update.New is null)
                {
                    replica.Remove(uuid);
                }
                else
                {
                    replica[uuid] = update.New;
                }

                result.Add(update);
            }
        }

        return result;
    }

    // RFC 7047 section 4.1.6: "old" holds the changed columns' previous values (every column on delete),
    // "new" every monitored column; a row with only "new" is new, one with only "old" is gone.
    private static OvsdbRowUpdate FromUpdate(string table, Guid uuid, JsonObject change, OvsdbRow? cached, bool initial)
    {
        OvsdbRow? oldPart = change["old"] is JsonNode o ? OvsdbRow.FromJson(o) : null;
        OvsdbRow? newRow = change["new"] is JsonNode n ? OvsdbRow.FromJson(n) : null;
        OvsdbRow? old = cached is not null && oldPart is not null ? cached.With(oldPart.Columns) : cached ?? oldPart;
        OvsdbRowChange kind = (old, newRow) switch
        {
            (_, null) => OvsdbRowChange.Delete,
            _ when initial => OvsdbRowChange.Initial,
            (null, _) => OvsdbRowChange.Insert,
            _ => OvsdbRowChange.Modify,
        };
        return new OvsdbRowUpdate(table, uuid, kind, kind is OvsdbRowChange.Initial or OvsdbRowChange.Insert ? null : old, newRow);
    }

    // ovsdb-server(7) <row-update2>: exactly one of "initial", "insert", "delete", "modify"; "modify" holds only the
    // changed columns, scalars as their new value, sets and maps as a difference to apply.
    private OvsdbRowUpdate FromUpdate2(string table, Guid uuid, JsonObject change, OvsdbRow? old)
    {
        if (change["initial"] is JsonNode initial)
        {
            return new OvsdbRowUpdate(table, uuid, OvsdbRowChange.Initial, null, OvsdbRow.FromJson(initial));
        }

        if (change["insert"] is JsonNode insert)
        {
            return new OvsdbRowUpdate(table, uuid, OvsdbRowChange.Insert, null, OvsdbRow.FromJson(insert));
        }

        if (change.ContainsKey("delete"))
        {
            return new OvsdbRowUpdate(table, uuid, OvsdbRowChange.Delete, old, null);
        }

        if (change["modify"] is JsonNode modify)
        {
            OvsdbRow diff = OvsdbRow.FromJson(modify);
            OvsdbRow before = old ?? new OvsdbRow([]);
            OvsdbTableSchema tableSchema = _schema!.Table(table);
            OvsdbRow after = before.With(diff.Columns.Select(c => new KeyValuePair<string, OvsdbValue>(
                c.Key,
                ApplyDiff(tableSchema.Column(c.Key).Type, before.TryGet(c.Key, out OvsdbValue? current) ? current! : null, c.Value))));
            return new OvsdbRowUpdate(table, uuid, OvsdbRowChange.Modify, old, after);
        }

        return OvsdbException.ThrowProtocol<OvsdbRowUpdate>($"row-update2 for {table} {uuid} has none of initial/insert/delete/modify");
    }

    internal static OvsdbValue ApplyDiff(OvsdbColumnType type, OvsdbValue? current, OvsdbValue diff)
    {
        if (type.IsScalar)
        {
            return diff;
        }

        if (type.IsMap)
        {
            // A key absent from the map is added; present with the same value it is removed; else its value is replaced.
            var entries = (current as OvsdbMap)?.Entries.ToList() ?? [];
            foreach (KeyValuePair<OvsdbAtom, OvsdbAtom> pair in ((OvsdbMap)diff).Entries)
            {
                int index = entries.FindIndex(e => e.Key.Equals(pair.Key));
                if (index < 0)
                {
                    entries.Add(pair);
                }
                else if (entries[index].Value.Equals(pair.Value))
                {
                    entries.RemoveAt(index);
                }
                else
                {
                    entries[index] = pair;
                }
            }

            return new OvsdbMap(entries);
        }

        // A set diff is the symmetric difference: each element present is removed, each absent is added.
        var items = current?.AsSet().ToList() ?? [];
        foreach (OvsdbAtom atom in diff.AsSet())
        {
            if (!items.Remove(atom))
            {
                items.Add(atom);
            }
        }

        return new OvsdbSet(items);
    }
}
