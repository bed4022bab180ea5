// The one exception ProcessRunner throws: a command that failed, timed out, or could not start.
namespace Patchbay.Agent.HostOs;

public sealed class HostCommandException : Exception
{
    public HostCommandException()
    {
    }

    public HostCommandException(string message)
        : base(message)
    {
    }

    public HostCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HostCommandException(ProcessResult result)
        : base(Describe(result))
    {
        Result = result;
    }

    /// <summary>The failed command's output, when it ran at all.</summary>
    public ProcessResult? Result { get; }

    private static string Describe(ProcessResult result)
    {
        var output = (result.StandardError.Trim() + Environment.NewLine + result.StandardOutput.Trim()).Trim();
        return $"'{result.CommandLine}' exited with {result.ExitCode}" + (output.Length > 0 ? $": {output}" : string.Empty);
    }
}
