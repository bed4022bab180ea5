// Numbers fixed by the OpenFlow 1.3.5 specification that the whole codec shares.
namespace Patchbay.OpenFlow;

public static class OfpConstants
{
    /// <summary>wire protocol version of OpenFlow 1.3 (OFP_VERSION).</summary>
    public const byte Version13 = 0x04;

    /// <summary>sizeof(struct ofp_header).</summary>
    public const int HeaderSize = 8;

    /// <summary>ofp_header.length is 16 bits.</summary>
    public const int MaxMessageLength = ushort.MaxValue;

    /// <summary>OFP_NO_BUFFER: the packet is not buffered on the switch.</summary>
    public const uint NoBuffer = 0xffffffff;
}
