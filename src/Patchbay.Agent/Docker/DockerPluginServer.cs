// `patchbay agent --docker-socket PATH`: the Docker plugin on its own unix socket (Docker finds plugins as sockets in
// /run/docker/plugins or through spec files in /etc/docker/plugins), served by its own small web app so that the
// agent's local API and Docker's methods never share a socket.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Patchbay.Agent.Docker;

public sealed class DockerPluginServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _socketPath;

    private DockerPluginServer(WebApplication app, string socketPath)
    {
        _app = app;
        _socketPath = socketPath;
    }

    public static async Task<DockerPluginServer> StartAsync(string socketPath, DockerDriver driver, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            AgentApplication.RemoveStaleSocket(socketPath);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
            kestrel.ListenUnixSocket(socketPath);
        });
        WebApplication app = builder.Build();
        app.MapDockerPlugin(driver);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        DockerLog.Serving(logger, socketPath);
        return new DockerPluginServer(app, socketPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        File.Delete(_socketPath);
    }
}
