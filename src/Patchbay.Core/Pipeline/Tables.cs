// The OpenFlow table numbers of the Patchbay pipeline; docs/pipeline.md describes each table and is
// changed in the same commit as this file.
namespace Patchbay.Core.Pipeline;

public static class Tables
{
    /// <summary>Port security for container ports, the network tag, and uplink traffic addressed to this host.</summary>
    public const byte Classify = 0;

    /// <summary>ARP requests from containers, sent to the controller through the port's meter; never flooded.</summary>
    public const byte Arp = 10;

    /// <summary>Conversation flows leaving local endpoints; a miss is the first packet and goes to the controller.</summary>
    public const byte Egress = 20;

    /// <summary>Conversation flows arriving from the underlay; a miss is dropped and counted.</summary>
    public const byte Ingress = 30;

    /// <summary>Final destination MAC rewrite and output to a local endpoint's port.</summary>
    public const byte Deliver = 40;
}

/// <summary>Flow priorities, per table; a higher priority wins.</summary>
public static class Priorities
{
    /// <summary>The explicit table-miss flow of every table (its counters are the table's drop count).</summary>
    public const ushort Miss = 0;

    /// <summary>Table 20: an endpoint's packets that no conversation flow matched go to the controller.</summary>
    public const ushort FirstPacket = 1;

    /// <summary>Table 0: the uplink rule and the per-port port-security drop, below the endpoint's own rules.</summary>
    public const ushort Guard = 100;

    /// <summary>Table 0: an endpoint's legitimate IPv4 and ARP traffic.</summary>
    public const ushort Endpoint = 200;

    /// <summary>Tables 10, 20, 30, 40: ARP to the controller, conversation flows and delivery.</summary>
    public const ushort Forward = 100;
}
