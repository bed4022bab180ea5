// GET /v1/trace for `patchbay trace`: the trace as the controller answered it (a JSON tree, so `-o json`
// prints exactly that).
using System.Globalization;
using System.Text.Json.Nodes;

namespace Patchbay.Cli.Api;

internal sealed partial class ControllerApi
{
    /// <summary>Traces a packet from <paramref name="source"/> to an endpoint name or address; protocol and port as the API defaults them.</summary>
    public Task<JsonNode> TraceAsync(string source, string destination, string? protocol, int? port, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> query = [new("source", source), new("destination", destination)];
        if (protocol is not null)
        {
            query.Add(new("protocol", protocol));
        }

        if (port is int n)
        {
            query.Add(new("port", n.ToString(CultureInfo.InvariantCulture)));
        }

        return GetAsync(WithQuery("v1/trace", query), cancellationToken);
    }
}
