// OFPT_GET_CONFIG_REQUEST (header only), OFPT_GET_CONFIG_REPLY and OFPT_SET_CONFIG (spec 1.3.5, 7.3.2):
// struct ofp_switch_config is flags u16, miss_send_len u16 = 12 bytes with the header.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_config_flags: how the switch treats IP fragments (a 2-bit field, not independent bits).</summary>
public enum ConfigFlags : ushort
{
    FragNormal = 0,
    FragDrop = 1,
    FragReasm = 2,
    FragMask = 3,
}

public sealed record GetConfigRequest : OfpMessage
{
    public override OfpType Type => OfpType.GetConfigRequest;

    protected override int BodyLength => 0;

    protected override void WriteBody(ref WireWriter writer)
    {
    }

    internal static GetConfigRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        body.ExpectEnd(ProtocolErrorReason.BadLength, "get config request");
        return new GetConfigRequest { Xid = header.Xid };
    }
}

public sealed record GetConfigReply(ConfigFlags Flags, ushort MissSendLen) : OfpMessage
{
    public const int Size = 12;

    public override OfpType Type => OfpType.GetConfigReply;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)Flags);
        writer.U16(MissSendLen);
    }

    internal static GetConfigReply ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        return new GetConfigReply((ConfigFlags)body.U16(), body.U16()) { Xid = header.Xid };
    }
}

public sealed record SetConfig(ConfigFlags Flags, ushort MissSendLen) : OfpMessage
{
    public const int Size = 12;

    public override OfpType Type => OfpType.SetConfig;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)Flags);
        writer.U16(MissSendLen);
    }

    internal static SetConfig ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        return new SetConfig((ConfigFlags)body.U16(), body.U16()) { Xid = header.Xid };
    }
}
