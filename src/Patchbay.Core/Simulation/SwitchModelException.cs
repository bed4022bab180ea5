// A request the modelled switch refuses, with the OFPT_ERROR type and code a real switch would answer,
// so a fake switch on the wire can reply exactly that and tests can assert the planner's mistakes.
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.Core.Simulation;

public sealed class SwitchModelException : Exception
{
    public SwitchModelException()
        : this(OfpErrorType.BadRequest, 0, "the switch model refused the request")
    {
    }

    public SwitchModelException(string message)
        : this(OfpErrorType.BadRequest, 0, message)
    {
    }

    public SwitchModelException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = OfpErrorType.BadRequest;
    }

    public SwitchModelException(OfpErrorType errorType, ushort code, string message)
        : base($"{errorType}/{code}: {message}")
    {
        ErrorType = errorType;
        Code = code;
    }

    public OfpErrorType ErrorType { get; }

    public ushort Code { get; }

    /// <summary>The OFPT_ERROR a switch sends for <paramref name="request"/>: its xid, and its first 64 bytes as data.</summary>
    public ErrorMsg ToErrorMsg(OfpMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] bytes = request.ToBytes();
        return new ErrorMsg(ErrorType, Code, bytes.AsMemory(0, Math.Min(64, bytes.Length))) { Xid = request.Xid };
    }
}

/// <summary>The OFPT_ERROR codes the model uses (spec 1.3.5, 7.4.4), per error type.</summary>
public static class SwitchErrorCodes
{
    public const ushort BadRequestBufferUnknown = 8;
    public const ushort BadActionType = 0;
    public const ushort BadActionOutPort = 4;
    public const ushort BadActionArgument = 5;
    public const ushort BadActionOutGroup = 9;
    public const ushort BadActionMatchInconsistent = 10;
    public const ushort BadActionSetType = 13;
    public const ushort BadInstructionUnsupported = 1;
    public const ushort BadInstructionTableId = 2;
    public const ushort BadMatchField = 6;
    public const ushort BadMatchPrerequisite = 9;
    public const ushort BadMatchDuplicateField = 10;
    public const ushort FlowModBadTableId = 2;
    public const ushort FlowModOverlap = 3;
    public const ushort FlowModBadCommand = 6;
    public const ushort MeterModExists = 1;
    public const ushort MeterModInvalidMeter = 2;
    public const ushort MeterModUnknownMeter = 3;
    public const ushort MeterModBadCommand = 4;
    public const ushort MeterModBadFlags = 5;
    public const ushort MeterModBadBand = 8;
}
