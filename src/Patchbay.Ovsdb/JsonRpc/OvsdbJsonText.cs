// The one JSON text style the client writes: compact, and escaping only what JSON requires, so requests read like
// RFC 7047's examples ("+=" stays "+=", not "\u002B=") and byte-exact tests can spell them out.
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Patchbay.Ovsdb.JsonRpc;

internal static class OvsdbJsonText
{
    // Relaxed escaping is safe here: the text goes to an OVSDB socket, never into HTML or a script.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
