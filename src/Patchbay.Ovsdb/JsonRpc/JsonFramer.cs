// Frames the JSON-RPC stream. OVSDB sends JSON objects back to back with no delimiter or length prefix
// (RFC 7047 section 4), so a frame ends where a Utf8JsonReader finishes skipping one top-level object.
using System.Buffers;
using System.Text.Json;

namespace Patchbay.Ovsdb.JsonRpc;

internal static class JsonFramer
{
    /// <summary>The largest message accepted; the Open_vSwitch schema is about 40 KB and a full monitor snapshot far less than this.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Slices the first complete JSON object off <paramref name="buffer"/> (leading whitespace dropped). Returns false and
    /// leaves <paramref name="buffer"/> alone while the object is incomplete; throws <see cref="OvsdbException"/> for
    /// malformed JSON, a top-level value that is not an object, or an incomplete object already over the size limit.
    /// </summary>
    public static bool TryReadObject(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        var reader = new Utf8JsonReader(buffer, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                OvsdbException.ThrowProtocol($"a JSON-RPC message must be an object, not {reader.TokenType}");
            }

            long start = reader.TokenStartIndex;
            if (!reader.TrySkip())
            {
                if (buffer.Length - start > MaxMessageBytes)
                {
                    OvsdbException.ThrowProtocol($"message exceeds {MaxMessageBytes} bytes");
                }

                return false;
            }

            frame = buffer.Slice(start, reader.Position);
            buffer = buffer.Slice(reader.Position);
            return true;
        }
        catch (JsonException ex)
        {
            OvsdbException.ThrowProtocol($"malformed JSON: {ex.Message}", ex);
            return false;
        }
    }

    /// <summary>True when the bytes left at end of stream are only whitespace between messages.</summary>
    public static bool IsWhitespace(ReadOnlySequence<byte> buffer)
    {
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            foreach (byte b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
