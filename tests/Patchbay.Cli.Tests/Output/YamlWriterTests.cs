// -o yaml: the JSON tree as YAML, with every string that a YAML reader would take for another type double-quoted.
using System.Text.Json.Nodes;
using Patchbay.Cli.Output;
using YamlDotNet.RepresentationModel;

namespace Patchbay.Cli.Tests.Output;

public sealed class YamlWriterTests
{
    [Fact]
    public void Write_StringsThatLookLikeOtherTypes_AreQuoted()
    {
        var tree = JsonNode.Parse("""
            {"name": "blue", "yes": "no", "t": "true", "n": "null", "tilde": "~", "int": "123", "ip": "10.1.0.2",
             "mac": "02:50:42:00:00:01", "neg": "-5", "empty": "", "colon": "a: b", "hash": "#x", "dash": "- x",
             "count": 7, "ratio": 0.5, "on": true, "gone": null, "labels": {}, "items": [], "list": ["x", 1]}
            """);

        var yaml = YamlWriter.Write(tree).ReplaceLineEndings("\n");

        Assert.Equal(
            """
            name: blue
            "yes": "no"
            t: "true"
            "n": "null"
            tilde: "~"
            int: "123"
            ip: "10.1.0.2"
            mac: "02:50:42:00:00:01"
            neg: "-5"
            empty: ""
            colon: 'a: b'
            hash: '#x'
            dash: '- x'
            count: 7
            ratio: 0.5
            "on": true
            gone: null
            labels: {}
            items: []
            list:
            - x
            - 1

            """.ReplaceLineEndings("\n"),
            yaml);
    }

    [Fact]
    public void Write_ThenRead_EveryStringComesBackAsTheSameString()
    {
        string[] strings = ["true", "False", "NO", "off", "y", "null", "~", "", "0", "1e3", ".inf", "-.5", "+1", "0x1F", "10.1.0.0/24", "a: b", "x #y", "@at", "`tick", "'q'", "\"dq\"", "multi\nline", "ünï"];
        var tree = new JsonObject { ["values"] = new JsonArray([.. strings.Select(s => (JsonNode?)JsonValue.Create(s))]) };

        var stream = new YamlStream();
        stream.Load(new StringReader(YamlWriter.Write(tree)));

        var values = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("values")];
        Assert.Equal(strings, values.Children.Select(v => ((YamlScalarNode)v).Value));

        // A plain (unquoted) scalar is what a reader resolves by content: none of the ambiguous ones may be plain.
        Assert.All(
            values.Children.Cast<YamlScalarNode>().Where(v => YamlWriter.NeedsQuotes(v.Value!)),
            v => Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, v.Style));
    }
}
