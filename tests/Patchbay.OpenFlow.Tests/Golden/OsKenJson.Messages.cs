// os-ken projections of the symmetric and switch-configuration messages.
using System.Text.Json.Nodes;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Tests.Golden;

public static partial class OsKenJson
{
    public static JsonObject Project(OfpMessage message) => message switch
    {
        Hello m => Wrap("OFPHello", new() { ["elements"] = Array(m.Elements, HelloElement) }),
        ErrorMsg m => Wrap("OFPErrorMsg", Error(m)),
        EchoRequest m => Wrap("OFPEchoRequest", new() { ["data"] = Base64(m.Data) }),
        EchoReply m => Wrap("OFPEchoReply", new() { ["data"] = Base64(m.Data) }),
        FeaturesRequest => Wrap("OFPFeaturesRequest", []),
        FeaturesReply m => Wrap("OFPSwitchFeatures", new()
        {
            ["datapath_id"] = m.DatapathId,
            ["n_buffers"] = m.NBuffers,
            ["n_tables"] = m.NTables,
            ["auxiliary_id"] = m.AuxiliaryId,
            ["capabilities"] = (uint)m.Capabilities,
        }),
        BarrierRequest => Wrap("OFPBarrierRequest", []),
        BarrierReply => Wrap("OFPBarrierReply", []),
        _ => throw new NotSupportedException($"no os-ken projection for {message.GetType().Name} ({message.Type})"),
    };

    private static JsonObject HelloElement(HelloElement element)
    {
        if (element.ElementType != Messages.HelloElement.VersionBitmapType)
        {
            return Wrap("OFPHelloElemUnknown", new() { ["type"] = element.ElementType, ["length"] = element.ElementLength });
        }

        var versions = new JsonArray();
        ReadOnlySpan<byte> bitmaps = element.Data.Span;
        for (int word = 0; word < bitmaps.Length / 4; word++)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                if ((bitmaps[(word * 4) + 3 - (bit / 8)] & (1 << (bit % 8))) != 0)
                {
                    versions.Add((word * 32) + bit);
                }
            }
        }

        return Wrap("OFPHelloElemVersionBitmap", new()
        {
            ["type"] = element.ElementType,
            ["length"] = element.ElementLength,
            ["versions"] = versions,
        });
    }

    private static JsonObject Error(ErrorMsg error)
    {
        if (error.ErrorType != OfpErrorType.Experimenter)
        {
            return new() { ["type"] = (ushort)error.ErrorType, ["code"] = error.Code, ["data"] = Base64(error.Data) };
        }

        return new()
        {
            ["type"] = (ushort)error.ErrorType,
            ["code"] = null,
            ["exp_type"] = error.Code,
            ["experimenter"] = error.Experimenter,
            ["data"] = Base64(error.Data),
        };
    }
}
