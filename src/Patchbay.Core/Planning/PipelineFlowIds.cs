// Ids of the static pipeline flows (cookie kind Pipeline) and the drop reason each drop flow counts,
// so GET /v1/drops reads drop counters by cookie and names them without knowing table layouts.
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Core.Planning;

/// <summary>The low bits of a pipeline flow's cookie.</summary>
public enum PipelineFlowId : ulong
{
    /// <summary>Table 0: uplink frames addressed to this host go to ingress.</summary>
    Uplink = 1,

    /// <summary>Table 0 miss: unknown port, the host's own traffic, uplink frames for another MAC.</summary>
    ClassifyMiss = 2,

    /// <summary>Table 10 miss: ARP that is not a request from a known endpoint.</summary>
    ArpMiss = 3,

    /// <summary>Table 20 miss: IPv4 from a port that has no first-packet flow (an endpoint being removed).</summary>
    EgressMiss = 4,

    /// <summary>Table 30 miss: a frame from the underlay that belongs to no conversation.</summary>
    IngressMiss = 5,

    /// <summary>Table 40 miss: no local endpoint with this network and address.</summary>
    DeliverMiss = 6,
}

public static class DropReasons
{
    /// <summary>Forged source MAC or IP (or any non-IPv4, non-ARP frame) from an endpoint's port.</summary>
    public const string PortSecurity = "port-security";

    public const string Unclassified = "unclassified";

    public const string ArpNotRequest = "arp-not-request";

    public const string EgressMiss = "egress-miss";

    public const string NoConversation = "no-conversation";

    public const string NoLocalEndpoint = "no-local-endpoint";

    /// <summary>A first packet the controller refused: FlowPlanner.PlanDenial's drop flow.</summary>
    public const string Denied = "denied";

    /// <summary>The drop reason a flow counts, or null when the flow forwards rather than drops.</summary>
    public static string? Of(FlowStats flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.Instructions.Count != 0)
        {
            return null;
        }

        return Cookies.KindOf(flow.Cookie) switch
        {
            FlowKind.Endpoint when flow.TableId == Tables.Classify => PortSecurity,
            FlowKind.Conversation when flow.TableId == Tables.Egress => Denied,
            FlowKind.Pipeline => (PipelineFlowId)Cookies.IdOf(flow.Cookie) switch
            {
                PipelineFlowId.ClassifyMiss => Unclassified,
                PipelineFlowId.ArpMiss => ArpNotRequest,
                PipelineFlowId.EgressMiss => EgressMiss,
                PipelineFlowId.IngressMiss => NoConversation,
                PipelineFlowId.DeliverMiss => NoLocalEndpoint,
                _ => null,
            },
            _ => null,
        };
    }
}
