// `-o yaml`: the API's JSON tree written as YAML through YamlDotNet's emitter. The emitter quotes what YAML syntax
// needs quoted (": ", "#", a leading "-", ...); this writer also double-quotes every string a YAML reader would
// otherwise take for something else (true, no, null, ~, 10, 1e3, .inf, 02:50:42 in YAML 1.1), so types survive.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Patchbay.Cli.Output;

internal static class YamlWriter
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "+.inf", "-.inf", ".nan",
    };

    public static string Write(JsonNode? node)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>True when a plain scalar with this text would not read back as this string.</summary>
    public static bool NeedsQuotes(string value) =>
        value.Length == 0
        || Keywords.Contains(value)
        || char.IsAsciiDigit(value[0])
        || (value.Length > 1 && value[0] is '-' or '+' or '.' && (char.IsAsciiDigit(value[1]) || value[1] == '.'));

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValue value when value.GetValueKind() != JsonValueKind.Null:
                // Numbers keep their JSON spelling; true/false are YAML's own.
                EmitPlain(emitter, value.ToJsonString());
                break;
            default:
                EmitPlain(emitter, "null");
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, isPlainImplicit: true, isQuotedImplicit: true));

    private static void EmitPlain(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
}
