// A request waiting for its reply. The read loop offers it every message carrying its xid; it claims
// the replies it expects and OFPT_ERROR, and leaves anything else (an unsolicited message that happens
// to share the xid) to the handler.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.OpenFlow.Connection;

internal abstract class PendingRequest
{
    public abstract bool IsDone { get; }

    /// <summary>Claims <paramref name="message"/> if it answers this request; false leaves it for the handler.</summary>
    public abstract bool TryAccept(OfpMessage message);

    public abstract void Fail(Exception exception);
}

internal sealed class PendingReply<TReply>(OfpType requestType) : PendingRequest
    where TReply : OfpMessage
{
    private readonly TaskCompletionSource<TReply> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TReply> Task => _completion.Task;

    public override bool IsDone => _completion.Task.IsCompleted;

    public override bool TryAccept(OfpMessage message)
    {
        switch (message)
        {
            case TReply reply:
                _completion.TrySetResult(reply);
                return true;
            case ErrorMsg error:
                _completion.TrySetException(new OpenFlowErrorException(requestType, error));
                return true;
            default:
                return false;
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}

internal sealed class PendingMultipart(MultipartType multipartType) : PendingRequest
{
    private readonly TaskCompletionSource<IReadOnlyList<MultipartReply>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<MultipartReply> _parts = [];

    public Task<IReadOnlyList<MultipartReply>> Task => _completion.Task;

    public override bool IsDone => _completion.Task.IsCompleted;

    public override bool TryAccept(OfpMessage message)
    {
        switch (message)
        {
            case MultipartReply part when part.MultipartType == multipartType:
                // Only the read loop calls this, so the list needs no lock.
                _parts.Add(part);
                if ((part.Flags & MultipartReplyFlags.More) == 0)
                {
                    _completion.TrySetResult(_parts.ToArray());
                }

                return true;
            case ErrorMsg error:
                _completion.TrySetException(new OpenFlowErrorException(OfpType.MultipartRequest, error));
                return true;
            default:
                return false;
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
