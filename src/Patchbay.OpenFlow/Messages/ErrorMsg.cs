// OFPT_ERROR (spec 1.3.5, 7.4.4): type u16, code u16, data[] (at least 64 bytes of the offending request).
// OFPET_EXPERIMENTER (0xffff): exp_type u16, experimenter u32, data[].
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_error_type.</summary>
public enum OfpErrorType : ushort
{
    HelloFailed = 0,
    BadRequest = 1,
    BadAction = 2,
    BadInstruction = 3,
    BadMatch = 4,
    FlowModFailed = 5,
    GroupModFailed = 6,
    PortModFailed = 7,
    TableModFailed = 8,
    QueueOpFailed = 9,
    SwitchConfigFailed = 10,
    RoleRequestFailed = 11,
    MeterModFailed = 12,
    TableFeaturesFailed = 13,
    Experimenter = 0xffff,
}

/// <summary>enum ofp_hello_failed_code.</summary>
public enum HelloFailedCode : ushort
{
    Incompatible = 0,
    PermissionsError = 1,
}

/// <summary>enum ofp_bad_request_code (the codes the controller answers with).</summary>
public enum BadRequestCode : ushort
{
    BadVersion = 0,
    BadType = 1,
    BadMultipart = 2,
    BadExperimenter = 3,
    BadExpType = 4,
    PermissionsError = 5,
    BadLength = 6,
    BufferEmpty = 7,
    BufferUnknown = 8,
    BadTableId = 9,
    IsSlave = 10,
    BadPort = 11,
    BadPacket = 12,
    MultipartBufferOverflow = 13,
}

public sealed record ErrorMsg(OfpErrorType ErrorType, ushort Code, ReadOnlyMemory<byte> Data) : OfpMessage
{
    public override OfpType Type => OfpType.Error;

    /// <summary>Experimenter id, present only when <see cref="ErrorType"/> is Experimenter (Code is then exp_type).</summary>
    public uint Experimenter { get; init; }

    protected override int BodyLength => 4 + (ErrorType == OfpErrorType.Experimenter ? 4 : 0) + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)ErrorType);
        writer.U16(Code);
        if (ErrorType == OfpErrorType.Experimenter)
        {
            writer.U32(Experimenter);
        }

        writer.Bytes(Data.Span);
    }

    internal static ErrorMsg ReadBody(OfpHeader header, ref WireReader body)
    {
        var type = (OfpErrorType)body.U16();
        ushort code = body.U16();
        uint experimenter = type == OfpErrorType.Experimenter ? body.U32() : 0;
        return new ErrorMsg(type, code, body.RestArray()) { Xid = header.Xid, Experimenter = experimenter };
    }
}
