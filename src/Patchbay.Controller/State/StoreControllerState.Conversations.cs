// Conversation ids and the live (unpersisted) conversations and drops. Ids must never repeat, also across
// a kill -9 and a restart, because flows on the switches carry them in cookies and outlive the controller.
// They are handed out from memory (the first-packet path cannot wait for a disk) below a mark stored in
// /v1/meta/ids: the mark is raised by a block at start and, in the background, whenever half of the
// block is used; a restart begins above the stored mark. Only a burst faster than one store write waits.
using Patchbay.Core.Model;

namespace Patchbay.Controller.State;

public sealed partial class StoreControllerState
{
    private readonly Lock _reservationLock = new();
    private Task _reservation = Task.CompletedTask;
    private Exception? _reservationFailure;
    private ulong _lastConversationId;
    private ulong _conversationMark;

    public ulong NextConversationId()
    {
        ulong id = Interlocked.Increment(ref _lastConversationId);
        if (id + (_options.ConversationIdBlock / 2) > Volatile.Read(ref _conversationMark))
        {
            Task reservation = ReserveConversationIds();
            for (int attempt = 1; id > Volatile.Read(ref _conversationMark); attempt++)
            {
                if (attempt > MaxAttempts)
                {
                    throw new InvalidOperationException($"conversation id {id} could not be reserved in the store", _reservationFailure);
                }

                reservation.Wait();
                reservation = ReserveConversationIds();
            }
        }

        return id;
    }

    public void AddConversation(ConversationRecord conversation) => _live.Add(conversation);

    public ConversationRecord? FindConversation(ulong id) => _live.Find(id);

    public ConversationRecord? UpdateConversation(ulong id, Func<ConversationRecord, ConversationRecord> update) => _live.Update(id, update);

    public IReadOnlyList<ConversationRecord> Conversations(ConversationState? state = null) => _live.List(state);

    public void CountDrop(string host, string reason, ulong bytes) => _live.CountDrop(host, reason, bytes);

    public IReadOnlyList<DropCount> ControllerDrops() => _live.Drops();

    // One reservation at a time; callers that need a higher mark wait for it and ask again.
    private Task ReserveConversationIds()
    {
        lock (_reservationLock)
        {
            if (_reservation.IsCompleted)
            {
                _reservation = Task.Run(ReserveConversationIdsAsync);
            }

            return _reservation;
        }
    }

    // Never faults: a failure is kept for the caller that finds its id above the mark.
    private async Task ReserveConversationIdsAsync()
    {
        try
        {
            await CommitAsync((index, change) =>
            {
                IdsDocument ids = index.Ids!.Value.Value;
                ulong mark = Interlocked.Read(ref _lastConversationId) + _options.ConversationIdBlock;
                if (mark > ids.Conversation)
                {
                    change.WriteIds(index, ids with { Conversation = mark });
                    change.Then((_, _) => Volatile.Write(ref _conversationMark, mark));
                }
                else
                {
                    Volatile.Write(ref _conversationMark, ids.Conversation);
                }

                return mark;
            }, CancellationToken.None).ConfigureAwait(false);
            _reservationFailure = null;
        }
        catch (Exception e)
        {
            _reservationFailure = e;
        }
    }
}
