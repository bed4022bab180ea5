// A request the driver refuses or cannot carry out; the plugin API answers it as { "Err": message }, which Docker shows
// to the user as the reason the network or container operation failed.
namespace Patchbay.Agent.Docker;

public sealed class DockerDriverException : Exception
{
    public DockerDriverException()
    {
    }

    public DockerDriverException(string message)
        : base(message)
    {
    }

    public DockerDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
