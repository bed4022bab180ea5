// The live, unpersisted part of the controller's state: conversations (active, and a bounded history of
// ended ones) and the drops the controller counted itself. A restarted controller starts with none; the
// flows on the switches outlive it and are found again by their cookies. Every first packet adds a
// conversation, so the conversations are a striped dictionary (a lock per stripe to add, find or update, no
// object per entry, and no lock held while the whole map grows); only the ended history and the drop
// counters take a lock of their own.
namespace Patchbay.Controller.State;

internal sealed class LiveConversations(int endedHistory)
{
    private readonly StripedDictionary<ulong, ConversationRecord> _conversations = new();
    private readonly Lock _historyLock = new();
    private readonly Queue<ulong> _ended = new();
    private readonly Lock _dropsLock = new();
    private readonly Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)> _drops = [];

    public void Add(ConversationRecord conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_conversations.TryAdd(conversation.Id, conversation))
        {
            throw new InvalidOperationException($"conversation {conversation.Id} already exists");
        }

        Remember(conversation);
    }

    public ConversationRecord? Find(ulong id) => _conversations.TryGetValue(id, out ConversationRecord? found) ? found : null;

    // Under the conversation's stripe lock: the update must be quick and must not call back into the state.
    public ConversationRecord? Update(ulong id, Func<ConversationRecord, ConversationRecord> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_conversations.TryUpdate(id, c => Checked(id, update(c)), out ConversationRecord previous, out ConversationRecord updated))
        {
            return null;
        }

        if (previous.IsActive && !updated.IsActive)
        {
            Remember(updated);
        }

        return updated;
    }

    public IReadOnlyList<ConversationRecord> List(Core.Model.ConversationState? state) =>
        [.. _conversations.Values().Where(c => state is null || c.Conversation.State == state).OrderBy(c => c.Id)];

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
}
