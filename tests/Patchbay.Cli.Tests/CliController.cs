// The real controller (ControllerApplication, in-memory store) listening on a unix socket in a temp directory, and
// the `patchbay` command tree run in process against it with its own stdout, stderr and environment.
using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.Core.Api;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Cli.Tests;

/// <summary>What one CLI invocation did.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

public sealed class CliController : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pb-cli-").FullName;
    private WebApplication? _app;

    public string Socket => Path.Combine(_directory, "api.sock");

    /// <summary>The --api value that reaches this controller.</summary>
    public string Api => "unix:" + Socket;

    /// <summary>A socket path nothing listens on.</summary>
    public string DeadSocket => Path.Combine(_directory, "nobody.sock");

    public async Task InitializeAsync()
    {
        var options = new ControllerOptions
        {
            OpenFlow = [OpenFlowEndpoint.Unix(Path.Combine(_directory, "of.sock"))],
            Api = [ApiAddress.Unix(Socket)],
        };
        _app = ControllerApplication.Build(options, builder => builder.Logging.ClearProviders());
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The controller's services, for arranging live state no API writes (the recent drops).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the controller is not started");

    /// <summary>A client for arranging state the CLI then reads.</summary>
    public PatchbayApiClient Client() => PatchbayApiClient.Create(Api);

    /// <summary>Runs `patchbay ARGS --api THIS` with no PATCHBAY_API set.</summary>
    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(new Dictionary<string, string>(), [.. args, "--api", Api]);
}

public static class Cli
{
    /// <summary>Runs the command tree in process with the given environment; stdout and stderr captured apart.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = PatchbayCommand.Create(name => environment.TryGetValue(name, out var value) ? value : null);
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
