// Frames and decodes OpenFlow messages from a byte sequence. TryRead returns false and consumes
// nothing while a frame is incomplete; a malformed frame throws OpenFlowProtocolException.
using System.Buffers;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow;

public static class OfpMessageReader
{
    /// <summary>Reads one whole message, or returns false (nothing consumed) if the sequence holds less than one.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out OfpMessage? message, int maxLength = OfpConstants.MaxMessageLength)
    {
        message = null;
        if (!TryPeekFrameLength(ref reader, maxLength, out int length))
        {
            return false;
        }

        if (reader.UnreadSpan.Length >= length)
        {
            message = Decode(reader.UnreadSpan[..length]);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                reader.TryCopyTo(rented.AsSpan(0, length));
                message = Decode(rented.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        reader.Advance(length);
        return true;
    }

    /// <summary>
    /// Checks the next header and reports the frame length once the whole frame is present.
    /// Throws for a length below 8 or above <paramref name="maxLength"/>.
    /// </summary>
    public static bool TryPeekFrameLength(ref SequenceReader<byte> reader, int maxLength, out int length)
    {
        length = 0;
        Span<byte> header = stackalloc byte[OfpConstants.HeaderSize];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        OfpHeader h = OfpHeader.Read(header);
        if (h.Length < OfpConstants.HeaderSize || h.Length > maxLength)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"ofp_header.length {h.Length} outside 8..{maxLength}");
        }

        if (reader.Remaining < h.Length)
        {
            return false;
        }

        length = h.Length;
        return true;
    }

    /// <summary>Decodes exactly one message that fills <paramref name="frame"/>.</summary>
    public static OfpMessage Decode(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < OfpConstants.HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"frame of {frame.Length} bytes is shorter than ofp_header");
        }

        OfpHeader header = OfpHeader.Read(frame);
        if (header.Length != frame.Length || header.Length < OfpConstants.HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"ofp_header.length {header.Length} but frame is {frame.Length} bytes");
        }

        if (header.Version != OfpConstants.Version13 && header.Type != OfpType.Hello)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadVersion, $"version 0x{header.Version:x2} in {header.Type}; only 0x04 is spoken");
        }

        var body = new WireReader(frame[OfpConstants.HeaderSize..]);
        return header.Type switch
        {
            OfpType.Hello => Hello.ReadBody(header, ref body),
            OfpType.Error => ErrorMsg.ReadBody(header, ref body),
            OfpType.EchoRequest => EchoRequest.ReadBody(header, ref body),
            OfpType.EchoReply => EchoReply.ReadBody(header, ref body),
            OfpType.FeaturesRequest => FeaturesRequest.ReadBody(header, ref body),
            OfpType.FeaturesReply => FeaturesReply.ReadBody(header, ref body),
            OfpType.BarrierRequest => BarrierRequest.ReadBody(header, ref body),
            OfpType.BarrierReply => BarrierReply.ReadBody(header, ref body),
            OfpType.MultipartRequest => MultipartRequest.ReadBody(header, ref body),
            OfpType.MultipartReply => MultipartReply.ReadBody(header, ref body),
            OfpType.Experimenter => ExperimenterMessage.ReadBody(header, ref body),
            OfpType.GetConfigRequest => GetConfigRequest.ReadBody(header, ref body),
            OfpType.GetConfigReply => GetConfigReply.ReadBody(header, ref body),
            OfpType.SetConfig => SetConfig.ReadBody(header, ref body),
            OfpType.PacketIn => PacketIn.ReadBody(header, ref body),
            OfpType.FlowRemoved => FlowRemoved.ReadBody(header, ref body),
            OfpType.PortStatus => PortStatus.ReadBody(header, ref body),
            OfpType.PacketOut => PacketOut.ReadBody(header, ref body),
            OfpType.FlowMod => FlowMod.ReadBody(header, ref body),
            OfpType.GroupMod => GroupMod.ReadBody(header, ref body),
            OfpType.PortMod => PortMod.ReadBody(header, ref body),
            OfpType.TableMod => TableMod.ReadBody(header, ref body),
            OfpType.QueueGetConfigRequest => QueueGetConfigRequest.ReadBody(header, ref body),
            OfpType.QueueGetConfigReply => QueueGetConfigReply.ReadBody(header, ref body),
            OfpType.RoleRequest => RoleRequest.ReadBody(header, ref body),
            OfpType.RoleReply => RoleReply.ReadBody(header, ref body),
            OfpType.GetAsyncRequest => GetAsyncRequest.ReadBody(header, ref body),
            OfpType.GetAsyncReply => GetAsyncReply.ReadBody(header, ref body),
            OfpType.SetAsync => SetAsync.ReadBody(header, ref body),
            OfpType.MeterMod => MeterMod.ReadBody(header, ref body),
            _ => OpenFlowProtocolException.Throw<OfpMessage>(ProtocolErrorReason.UnknownType, $"message type {(byte)header.Type}"),
        };
    }
}
