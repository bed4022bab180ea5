// The live, unpersisted part of the controller's state: conversations (active, and a bounded history of
// ended ones) and the drops the controller counted itself. A restarted controller starts with none; the
// flows on the switches outlive it and are found again by their cookies.
namespace Patchbay.Controller.State;

internal sealed class LiveConversations(int endedHistory)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, ConversationRecord> _conversations = [];
    private readonly Queue<ulong> _ended = new();
    private readonly Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)> _drops = [];

    public void Add(ConversationRecord conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        lock (_lock)
        {
            if (!_conversations.TryAdd(conversation.Id, conversation))
            {
                throw new InvalidOperationException($"conversation {conversation.Id} already exists");
            }

            Remember(conversation);
        }
    }

    public ConversationRecord? Find(ulong id)
    {
        lock (_lock)
        {
            return _conversations.GetValueOrDefault(id);
        }
    }

    public ConversationRecord? Update(ulong id, Func<ConversationRecord, ConversationRecord> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            if (!_conversations.TryGetValue(id, out ConversationRecord? current))
            {
                return null;
            }

            ConversationRecord updated = update(current);
            if (updated.Id != id)
            {
                throw new InvalidOperationException($"an update of conversation {id} may not change its id");
            }

            _conversations[id] = updated;
            if (current.IsActive && !updated.IsActive)
            {
                Remember(updated);
            }

            return updated;
        }
    }

    public IReadOnlyList<ConversationRecord> List(Core.Model.ConversationState? state)
    {
        lock (_lock)
        {
            return [.. _conversations.Values.Where(c => state is null || c.Conversation.State == state).OrderBy(c => c.Id)];
        }
    }

    public void CountDrop(string host, string reason, ulong bytes)
    {
        lock (_lock)
        {
            (ulong packets, ulong total) = _drops.GetValueOrDefault((host, reason));
            _drops[(host, reason)] = (packets + 1, total + bytes);
        }
    }

    public IReadOnlyList<DropCount> Drops()
    {
        lock (_lock)
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

        _ended.Enqueue(conversation.Id);
        while (_ended.Count > endedHistory && _ended.TryDequeue(out ulong oldest))
        {
            _conversations.Remove(oldest);
        }
    }
}
