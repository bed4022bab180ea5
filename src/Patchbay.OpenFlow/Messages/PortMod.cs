// OFPT_PORT_MOD (spec 1.3.5, 7.3.4.3): port_no u32, pad[4], hw_addr[6], pad[2], config u32, mask u32,
// advertise u32, pad[4] = 40 bytes with the header.
using System.Net.NetworkInformation;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>
/// Changes the config bits selected by <paramref name="Mask"/> on port <paramref name="PortNo"/>, whose
/// hardware address must be <paramref name="HwAddr"/>; <paramref name="Advertise"/> of none leaves advertising unchanged.
/// </summary>
public sealed record PortMod(uint PortNo, PhysicalAddress HwAddr, OfpPortConfig Config, OfpPortConfig Mask, OfpPortFeatures Advertise) : OfpMessage
{
    public const int Size = 40;

    public override OfpType Type => OfpType.PortMod;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(PortNo);
        writer.Pad(4);
        PortDescription.WriteHwAddr(ref writer, HwAddr);
        writer.Pad(2);
        writer.U32((uint)Config);
        writer.U32((uint)Mask);
        writer.U32((uint)Advertise);
        writer.Pad(4);
    }

    internal static PortMod ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        uint portNo = body.U32();
        body.Pad(4);
        var hwAddr = new PhysicalAddress(body.BytesArray(PortDescription.HwAddrSize));
        body.Pad(2);
        var config = (OfpPortConfig)body.U32();
        var mask = (OfpPortConfig)body.U32();
        var advertise = (OfpPortFeatures)body.U32();
        body.Pad(4);
        return new PortMod(portNo, hwAddr, config, mask, advertise) { Xid = header.Xid };
    }
}
