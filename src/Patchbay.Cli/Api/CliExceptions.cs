// The two ways an API command fails, each with its exit code: the request was wrong (1) or no controller answered (2).
namespace Patchbay.Cli.Api;

/// <summary>The user asked for something the controller (or the CLI) refused: exit 1, the message as one line.</summary>
internal sealed class CliUserException : Exception
{
    public CliUserException()
    {
    }

    public CliUserException(string message)
        : base(message)
    {
    }

    public CliUserException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Nothing answered at an API address (the controller's, or a lab agent's): exit 2, naming the address and what to do.</summary>
internal sealed class ApiUnreachableException : Exception
{
    public ApiUnreachableException()
    {
    }

    public ApiUnreachableException(string message)
        : base(message)
    {
    }

    public ApiUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiUnreachableException(ApiTarget target, string reason)
        : base($"cannot reach the controller at {target.Spec} ({target.Source}): {reason}; point elsewhere with --api or {ApiTarget.EnvironmentVariable}")
    {
    }
}
