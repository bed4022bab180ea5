// A switch answered a request with OFPT_ERROR; the exception carries that ERROR message.
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public sealed class OpenFlowErrorException : Exception
{
    public OpenFlowErrorException()
    {
    }

    public OpenFlowErrorException(string message)
        : base(message)
    {
    }

    public OpenFlowErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpenFlowErrorException(OfpType requestType, ErrorMsg error)
        : base($"switch rejected {requestType} xid {error?.Xid}: {error?.ErrorType} code {error?.Code}")
    {
        RequestType = requestType;
        Error = error;
    }

    public OfpType RequestType { get; }

    public ErrorMsg? Error { get; }
}
