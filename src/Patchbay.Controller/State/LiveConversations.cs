// The live, unpersisted part of the controller's state: conversations (active, and a bounded history of
// ended ones) and the drops the controller counted itself. A restarted controller starts with none; the
// flows on the switches outlive it and are found again by their cookies. Every first packet adds a
// conversation, so the conversations are an IdMap (a lock per stripe to add, find or update, no table that grows
// by copying itself) of flat records: a conversation is kept as a struct in the map's arrays, and its
// ConversationRecord is made when it is asked for. A million live conversations are then no objects at all for the
// collector to trace and copy from one generation to the next (they were two each, the record and its
// Conversation). Only the ended history and the drop counters take a lock of their own.
namespace Patchbay.Controller.State;

internal sealed class LiveConversations(int endedHistory)
{
    private readonly IdMap<FlatConversation> _conversations = new();
    private readonly Lock _historyLock = new();
    private readonly Queue<ulong> _ended = new();
    private readonly Lock _dropsLock = new();
    private readonly Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)> _drops = [];

    public void Add(ConversationRecord conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_conversations.TryAdd(conversation.Id, FlatConversation.Of(conversation)))
        {
            throw new InvalidOperationException($"conversation {conversation.Id} already exists");
        }

        Remember(conversation);
    }

    public ConversationRecord? Find(ulong id) => _conversations.TryGetValue(id, out FlatConversation found) ? found.Record() : null;

    // Under the conversation's stripe lock: the update must be quick and must not call back into the state.
    public ConversationRecord? Update(ulong id, Func<ConversationRecord, ConversationRecord> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ConversationRecord? updated = null;
        bool wasActive = false;
        bool found = _conversations.TryUpdate(id, c =>
        {
            wasActive = c.State == Core.Model.ConversationState.Active;
            updated = Checked(id, update(c.Record()));
            return FlatConversation.Of(updated);
        });
        if (!found)
        {
            return null;
        }

        if (wasActive && !updated!.IsActive)
        {
            Remember(updated);
        }

        return updated;
    }

    public IReadOnlyList<ConversationRecord> List(Core.Model.ConversationState? state) =>
        [.. _conversations.Values().Where(c => state is null || c.State == state).OrderBy(c => c.Id).Select(c => c.Record())];

    public void CountDrop(string host, string reason, ulong bytes)
    {
        lock (_dropsLock)
        {
            (ulong packets, ulong total) = _drops.GetValueOrDefault((host, reason));
            _drops[(host, reason)] = (packets + 1, total + bytes);
        }
    }

    public IReadOnlyList<DropCount> Drops()
    {
        lock (_dropsLock)
        {
            return [.. _drops
                .Select(d => new DropCount(d.Key.Host, d.Key.Reason, d.Value.Packets, d.Value.Bytes))
                .OrderBy(d => d.Host, StringComparer.Ordinal)
                .ThenBy(d => d.Reason, StringComparer.Ordinal)];
        }
    }

    // Ended conversations are kept in the order they ended, and the oldest forgotten past the bound.
    private void Remember(ConversationRecord conversation)
    {
        if (conversation.IsActive)
        {
            return;
        }

        lock (_historyLock)
        {
            _ended.Enqueue(conversation.Id);
            while (_ended.Count > endedHistory && _ended.TryDequeue(out ulong oldest))
            {
                _conversations.TryRemove(oldest, out _);
            }
        }
    }

    private static ConversationRecord Checked(ulong id, ConversationRecord updated) => updated.Id == id
        ? updated
        : throw new InvalidOperationException($"an update of conversation {id} may not change its id");

    /// <summary>A conversation record as the map keeps it: every field of the record and of its Conversation, inline.</summary>
    private readonly record struct FlatConversation(
        ulong Id,
        ulong Cookie,
        string Tenant,
        string Source,
        string Destination,
        Core.Model.DataPathMode Mode,
        Core.Model.ConversationState State,
        DateTimeOffset Started,
        DateTimeOffset? Ended,
        ulong Packets,
        ulong Bytes,
        double DurationSeconds,
        uint NetworkId,
        string SourceHost,
        string DestinationHost,
        ulong PacketIns,
        ConversationPolicy? Policy)
    {
        public static FlatConversation Of(ConversationRecord r)
        {
            Core.Model.Conversation c = r.Conversation;
            return new(c.Id, c.Cookie, c.Tenant, c.Source, c.Destination, c.Mode, c.State, c.Started, c.Ended, c.Packets, c.Bytes, c.DurationSeconds, r.NetworkId, r.SourceHost, r.DestinationHost, r.PacketIns, r.Policy);
        }

        public ConversationRecord Record() => new(
            new Core.Model.Conversation(Id, Cookie, Tenant, Source, Destination, Mode, State, Started, Ended, Packets, Bytes, DurationSeconds),
            NetworkId,
            SourceHost,
            DestinationHost,
            PacketIns)
        {
            Policy = Policy,
        };
    }
}
