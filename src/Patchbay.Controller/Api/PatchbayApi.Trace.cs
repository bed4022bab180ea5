// GET /v1/trace (docs/trace.md): why a packet from one endpoint to another endpoint or address is delivered or
// dropped, through the flows the switches hold now. Parameters as `patchbay policy decide` takes them, by their
// long names: source, destination, protocol (tcp|udp|icmp, default icmp echo) and port (tcp and udp).
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Patchbay.Controller.Tracing;
using Patchbay.Core.Api;
using Patchbay.Packets;

namespace Patchbay.Controller.Api;

public static partial class PatchbayApi
{
    private static void MapTrace(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/trace", (HttpRequest request, TraceService tracer, CancellationToken cancellationToken) => ApiProblems.Guard(async () =>
            Results.Json(await tracer.TraceAsync(ParseTrace(request.Query), cancellationToken).ConfigureAwait(false), TraceJsonContext.Default.TraceView)))
            .WithTags("trace")
            .WithSummary("Trace a packet from an endpoint to an endpoint or address through the switches' current flows.")
            .Produces<TraceView>()
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static TraceRequest ParseTrace(IQueryCollection query)
    {
        foreach (string key in query.Keys)
        {
            if (key is not ("source" or "destination" or "protocol" or "port"))
            {
                throw ApiRequestException.Invalid(key, "Unknown parameter", $"unknown query parameter '{key}'; trace takes source, destination, protocol and port");
            }
        }

        string source = ApiProblems.Required(query["source"], "source");
        string destination = ApiProblems.Required(query["destination"], "destination");
        ushort? port = null;
        if (query["port"] is { Count: > 0 } portText)
        {
            port = ushort.TryParse(portText[0], NumberStyles.None, CultureInfo.InvariantCulture, out ushort p) && p > 0
                ? p
                : throw ApiRequestException.Invalid("port", "Invalid parameter", $"port '{portText[0]}' is not a port (1-65535)");
        }

        string proto = query["protocol"] is { Count: > 0 } given ? given[0]!.ToLowerInvariant() : port is null ? "icmp" : "tcp";
        byte protocol = proto switch
        {
            "tcp" => IpProtocol.Tcp,
            "udp" => IpProtocol.Udp,
            "icmp" => IpProtocol.Icmp,
            _ => throw ApiRequestException.Invalid("protocol", "Invalid parameter", $"protocol '{proto}' is not one of tcp, udp, icmp"),
        };
        if (protocol == IpProtocol.Icmp && port is not null)
        {
            throw ApiRequestException.Invalid("port", "Invalid parameter", "icmp has no port; leave port out or pass protocol tcp or udp");
        }

        if (protocol != IpProtocol.Icmp && port is null)
        {
            throw ApiRequestException.Invalid("port", "Missing parameter", $"protocol {proto} needs a port");
        }

        return new TraceRequest(source, destination, protocol, port);
    }
}
