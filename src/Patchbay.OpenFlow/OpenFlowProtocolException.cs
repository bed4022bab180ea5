// The one exception a decoder throws for malformed input; the reason says which rule the bytes broke.
using System.Diagnostics.CodeAnalysis;

namespace Patchbay.OpenFlow;

public enum ProtocolErrorReason
{
    /// <summary>ofp_header.version is not the negotiated one (only HELLO may carry another).</summary>
    BadVersion,
    /// <summary>ofp_header.length is below 8, above the limit, or disagrees with the message's fixed size.</summary>
    BadLength,
    /// <summary>ofp_header.type is not an OpenFlow 1.3 message type.</summary>
    UnknownType,
    /// <summary>A field or nested structure reads past the end of its enclosing message or structure.</summary>
    Truncated,
    /// <summary>ofp_match.length is below 4, overruns the message, or the match type is not OFPMT_OXM.</summary>
    BadMatchLength,
    /// <summary>An OXM TLV's length overruns its match, or disagrees with the field's fixed size.</summary>
    BadOxmLength,
    /// <summary>An action's length is below 8, not a multiple of 8, overruns its list, or disagrees with the action's fixed size.</summary>
    BadActionLength,
    /// <summary>An instruction's length is too small, not a multiple of 8, overruns its list, or disagrees with its fixed size.</summary>
    BadInstructionLength,
    /// <summary>A multipart body's entries do not tile the body, or an entry length is invalid.</summary>
    BadMultipartBody,
    /// <summary>A structure is not padded to the boundary the spec requires.</summary>
    BadPadding,
    /// <summary>A nested element (HELLO element, property, bucket, band, queue) has an invalid length.</summary>
    BadElementLength,
    /// <summary>A field holds a value the spec does not allow.</summary>
    BadValue,
}

public sealed class OpenFlowProtocolException : Exception
{
    public OpenFlowProtocolException()
    {
    }

    public OpenFlowProtocolException(string message)
        : base(message)
    {
    }

    public OpenFlowProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OpenFlowProtocolException(ProtocolErrorReason reason, string detail)
        : base($"{reason}: {detail}")
    {
        Reason = reason;
    }

    public ProtocolErrorReason Reason { get; }

    [DoesNotReturn]
    public static void Throw(ProtocolErrorReason reason, string detail) =>
        throw new OpenFlowProtocolException(reason, detail);

    [DoesNotReturn]
    public static T Throw<T>(ProtocolErrorReason reason, string detail) =>
        throw new OpenFlowProtocolException(reason, detail);
}
