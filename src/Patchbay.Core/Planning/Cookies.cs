// The flow cookie layout: the high 8 bits name the kind of object that owns a flow, the low 56 bits its
// id, so that revoking an object is one delete by cookie and mask per switch (OVN uses the logical
// flow's UUID the same way).
namespace Patchbay.Core.Planning;

public enum FlowKind : byte
{
    /// <summary>The static pipeline of a host: the uplink rule and the drop flows of each table.</summary>
    Pipeline = 1,

    /// <summary>An endpoint's flows: port security, ARP, first packet to the controller, delivery. Id = endpoint id.</summary>
    Endpoint = 2,

    /// <summary>A conversation's flows on both switches. Id = conversation id.</summary>
    Conversation = 3,
}

public static class Cookies
{
    /// <summary>The bits that hold the <see cref="FlowKind"/>.</summary>
    public const ulong KindMask = 0xff00_0000_0000_0000;

    /// <summary>The bits that hold the owning object's id.</summary>
    public const ulong IdMask = ~KindMask;

    /// <summary>Selects one object's flows exactly: kind and id.</summary>
    public const ulong ExactMask = ulong.MaxValue;

    private const int KindShift = 56;

    public static ulong Of(FlowKind kind, ulong id)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a flow kind");
        }

        if ((id & KindMask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "a cookie carries a 56-bit id");
        }

        return ((ulong)kind << KindShift) | id;
    }

    /// <summary>The kind of a cookie; a cookie Patchbay did not write yields a value outside the enum.</summary>
    public static FlowKind KindOf(ulong cookie) => (FlowKind)(cookie >> KindShift);

    public static ulong IdOf(ulong cookie) => cookie & IdMask;

    /// <summary>Whether the cookie has a kind Patchbay writes (anything else on a switch is foreign).</summary>
    public static bool IsPatchbay(ulong cookie) => Enum.IsDefined(KindOf(cookie));
}
