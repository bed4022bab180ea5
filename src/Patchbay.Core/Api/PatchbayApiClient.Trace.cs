// GET /v1/trace through the typed client (docs/trace.md): the shapes are in TraceResources.cs, serialized
// through TraceJsonContext.
using System.Globalization;

namespace Patchbay.Core.Api;

public sealed partial class PatchbayApiClient
{
    /// <summary>
    /// GET /v1/trace: why a packet from <paramref name="source"/> to <paramref name="destination"/> (an endpoint
    /// name or an address) is delivered or dropped. The protocol defaults to tcp with a port, else icmp.
    /// </summary>
    public Task<TraceView> TraceAsync(string source, string destination, string? protocol = null, ushort? port = null, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Get,
            WithQuery("v1/trace", [("source", source), ("destination", destination), ("protocol", protocol), ("port", port?.ToString(CultureInfo.InvariantCulture))]),
            TraceJsonContext.Default.TraceView,
            cancellationToken);
}
