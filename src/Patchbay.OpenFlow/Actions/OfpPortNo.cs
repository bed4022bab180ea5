// enum ofp_port_no and enum ofp_controller_max_len (spec 1.3.5, 7.2.1 and 7.2.5): reserved port numbers
// and the max_len values an output-to-controller action may carry.
namespace Patchbay.OpenFlow.Actions;

public static class OfpPortNo
{
    /// <summary>Highest number of a physical or logical switch port.</summary>
    public const uint Max = 0xffffff00;

    /// <summary>Back out the port the packet came in on.</summary>
    public const uint InPort = 0xfffffff8;

    /// <summary>Submit the packet to the first flow table (packet-out only).</summary>
    public const uint Table = 0xfffffff9;

    /// <summary>The switch's non-OpenFlow forwarding.</summary>
    public const uint Normal = 0xfffffffa;

    /// <summary>All ports except the input port and those with flooding disabled.</summary>
    public const uint Flood = 0xfffffffb;

    /// <summary>All ports except the input port.</summary>
    public const uint All = 0xfffffffc;

    /// <summary>Send to the controller as a packet-in.</summary>
    public const uint Controller = 0xfffffffd;

    /// <summary>The switch's local networking stack.</summary>
    public const uint Local = 0xfffffffe;

    /// <summary>No port: a wildcard in requests, never an output.</summary>
    public const uint Any = 0xffffffff;
}

public static class OfpControllerMaxLen
{
    /// <summary>The largest max_len that still asks the switch to buffer the packet.</summary>
    public const ushort Max = 0xffe5;

    /// <summary>Send the whole packet to the controller, unbuffered.</summary>
    public const ushort NoBuffer = 0xffff;
}
