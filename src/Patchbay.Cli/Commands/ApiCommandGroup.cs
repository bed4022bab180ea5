// A command group whose leaves talk to the controller API (`patchbay network ...`): the recursive `--api` option,
// resolution against PATCHBAY_API and the default socket, and the exit codes every leaf shares:
// 0 done, 1 the request was refused (one line on stderr), 2 the controller could not be reached.
using System.CommandLine;
using Patchbay.Cli.Api;

namespace Patchbay.Cli.Commands;

/// <summary>What a leaf's action gets: the parse result, the connected API, stdout and stderr.</summary>
internal sealed record ApiRun(ParseResult ParseResult, ControllerApi Api)
{
    public TextWriter Output => ParseResult.InvocationConfiguration.Output;

    public TextWriter Error => ParseResult.InvocationConfiguration.Error;
}

internal sealed class ApiCommandGroup
{
    private readonly Func<string, string?> _environment;

    public ApiCommandGroup(string name, string description, Func<string, string?> environment)
    {
        _environment = environment;
        Api = new Option<string?>("--api")
        {
            Description = $"The controller API: unix:/path, /path/to.sock or http://HOST:PORT [default: ${ApiTarget.EnvironmentVariable}, else unix:{ApiTarget.DefaultSocket}]",
            HelpName = "address",
            Recursive = true,
        };
        Command = new Command(name, description) { Api };
    }

    public Command Command { get; }

    public Option<string?> Api { get; }

    /// <summary>Adds a leaf whose action runs against the API; its failures become exit codes 1 and 2.</summary>
    public Command Add(Command leaf, Func<ApiRun, CancellationToken, Task> action)
    {
        Run(leaf, action);
        Command.Subcommands.Add(leaf);
        return leaf;
    }

    /// <summary>Makes the group's own command run <paramref name="action"/> (a verb without sub-commands, as `patchbay connect A B`).</summary>
    public void Run(Func<ApiRun, CancellationToken, Task> action) => Run(Command, action);

    private void Run(Command leaf, Func<ApiRun, CancellationToken, Task> action)
    {
        leaf.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                using var api = ControllerApi.Connect(ApiTarget.Resolve(parseResult.GetValue(Api), _environment));
                await action(new ApiRun(parseResult, api), cancellationToken);
                return 0;
            }
            catch (CliUserException e)
            {
                await error.WriteLineAsync("patchbay: " + e.Message);
                return 1;
            }
            catch (ApiUnreachableException e)
            {
                await error.WriteLineAsync("patchbay: " + e.Message);
                return 2;
            }
        });
    }
}
