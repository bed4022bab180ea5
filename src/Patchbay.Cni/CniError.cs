// The CNI error result (SPEC.md "Error"): a well-known code, a message and details, printed on stdout with a
// non-zero exit. Codes 0-99 are the spec's; 100 and up are Patchbay's own.
namespace Patchbay.Cni;

/// <summary>The error codes this plugin returns.</summary>
public static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidNetworkConfig = 4;
    public const int IoFailure = 5;
    public const int DecodingFailure = 6;
    public const int InvalidEnvironment = 7;
    public const int TryAgainLater = 11;

    /// <summary>STATUS (1.1.0): the plugin is not available, here because the agent does not answer.</summary>
    public const int PluginNotAvailable = 50;

    /// <summary>The agent or the controller behind it refused the request (the agent's problem title and detail are in msg and details).</summary>
    public const int AgentRefused = 100;

    /// <summary>CHECK found the container's interface, address or route not as ADD left them.</summary>
    public const int CheckFailed = 101;
}

/// <summary>A verb failed with a CNI error; <see cref="CniPlugin"/> prints it as the spec's error JSON.</summary>
public sealed class CniException : Exception
{
    public CniException()
    {
    }

    public CniException(string message)
        : base(message)
    {
    }

    public CniException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CniException(int code, string message, string? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Details = details;
    }

    public int Code { get; } = CniErrorCode.IoFailure;

    public string? Details { get; }
}
