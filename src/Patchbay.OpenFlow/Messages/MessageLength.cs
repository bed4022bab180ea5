// ofp_header.length checks shared by the message decoders: a fixed-size message must be exactly its
// size, a variable one at least its fixed part, before any field is read.
namespace Patchbay.OpenFlow.Messages;

internal static class MessageLength
{
    public static void Exact(OfpHeader header, int size)
    {
        if (header.Length != size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"{header.Type} is {size} bytes, not {header.Length}");
        }
    }

    public static void AtLeast(OfpHeader header, int size)
    {
        if (header.Length < size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"{header.Type} needs at least {size} bytes, has {header.Length}");
        }
    }
}
