// The JSON shape of GET /v1/trace (docs/trace.md): why one packet from an endpoint to another endpoint or address
// is delivered or dropped. The policy's decision, then each switch the packet visits (a "hop") with every flow it
// matched, the live counters of those flows as the switch reported them, the header rewrites and where the packet
// left; a first packet that goes to the controller is followed on through the flows the controller would install,
// marked planned. Serialized through its own TraceJsonContext (camelCase, nulls omitted) like PatchbayJsonContext.
using System.Text.Json.Serialization;

namespace Patchbay.Core.Api;

/// <summary>GET /v1/trace: the answer to "why can (not) SOURCE reach DESTINATION?".</summary>
/// <param name="Verdict">allow or deny, the policy's verdict for the pair (deny also when the destination is no endpoint).</param>
/// <param name="Mode">The data-path mode ("direct"); null when no conversation could be planned.</param>
/// <param name="Conversation">The live conversation of the pair, when there is one.</param>
/// <param name="Hops">The switches the packet visits in order; a first packet visits its source switch twice (installed, then planned).</param>
/// <param name="Notes">Anything the trace could not model or had to assume, in words.</param>
public sealed record TraceView(
    TraceEndpointView Source,
    TraceEndpointView Destination,
    string Protocol,
    ushort? Port,
    string Verdict,
    TraceDecisionView Decision,
    string? Mode,
    TraceConversationView? Conversation,
    TracePacketView Packet,
    IReadOnlyList<TraceHopView> Hops,
    TraceResultView Result,
    IReadOnlyList<string> Notes);

/// <summary>One end of the trace. Name, Network and Host are null for a destination address no endpoint has.</summary>
public sealed record TraceEndpointView(string? Name, string? Tenant, string? Network, string Ip, string? Mac, string? Host, uint? OfPort);

/// <summary>What decided the verdict: the deciding rule and its group, or the connection, or a default.</summary>
/// <param name="Reason">sameNetwork, otherNetwork, otherTenant, rule, connected, disconnected, or noEndpoint.</param>
/// <param name="Granularity">ipPair or protocolPort; null when nothing was decided (no endpoint).</param>
public sealed record TraceDecisionView(
    string Reason,
    string? Granularity,
    string Summary,
    string? Rule = null,
    string? Group = null,
    int? Priority = null,
    string? Connection = null);

public sealed record TraceConversationView(string Id, string Cookie, string State, string Mode);

/// <summary>The packet the source would send: its own MAC and IP, the MAC the controller answers its ARP with.</summary>
public sealed record TracePacketView(string EthSrc, string EthDst, string IpSrc, string IpDst, string Protocol, ushort? SourcePort, ushort? DestinationPort, int Length);

/// <summary>One pass of the packet through one switch.</summary>
/// <param name="Stage">installed: the flows the switch holds now; planned: with the flows the controller would install for a first packet.</param>
/// <param name="Connected">False when the host's switch is not connected (then Flows is empty and the packet stops here).</param>
/// <param name="InPortName">What is behind the input port: an endpoint, or "uplink".</param>
/// <param name="Outcome">output, controller, dropped, or notConnected.</param>
public sealed record TraceHopView(
    string Host,
    string DatapathId,
    string Stage,
    bool Connected,
    uint InPort,
    string InPortName,
    IReadOnlyList<TraceFlowView> Flows,
    IReadOnlyList<TraceRewriteView> Rewrites,
    string Outcome,
    uint? OutPort = null,
    string? OutPortName = null,
    string? Reason = null);

/// <summary>A flow the packet matched. Counters are the switch's, as read for this trace; null for a planned flow.</summary>
/// <param name="Owner">Who the cookie names: "conversation 7", "endpoint a", "pipeline ingress-miss".</param>
/// <param name="Planned">True for a flow the controller would install, not on the switch yet.</param>
public sealed record TraceFlowView(
    byte Table,
    string TableName,
    ushort Priority,
    string Cookie,
    string Owner,
    string Match,
    string Actions,
    bool Planned,
    ulong? Packets = null,
    ulong? Bytes = null,
    double? DurationSeconds = null,
    ushort? IdleTimeout = null,
    ushort? HardTimeout = null);

/// <summary>A header field the switch changed: metadata is the network tag, shown as the network's name.</summary>
public sealed record TraceRewriteView(string Field, string Before, string After);

/// <summary>Where the packet ends.</summary>
/// <param name="Outcome">delivered, dropped, or unknown (a switch on the way is not connected).</param>
/// <param name="Planned">True when the outcome needs flows the controller has not installed yet (a first packet).</param>
/// <param name="Table">The table that dropped it.</param>
public sealed record TraceResultView(
    string Outcome,
    string Summary,
    bool Planned,
    string? Host = null,
    uint? Port = null,
    string? Endpoint = null,
    byte? Table = null,
    string? Reason = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(TraceView))]
public sealed partial class TraceJsonContext : JsonSerializerContext;
