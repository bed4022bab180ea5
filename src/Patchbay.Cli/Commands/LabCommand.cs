// `patchbay lab up|ls|exec|down`: the multi-host lab (fabric, hosts with OVS and agents, controller, containers).
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Patchbay.Cli.Api;
using Patchbay.Cli.Help;
using Patchbay.Cli.Lab;
using Patchbay.Cli.Output;

namespace Patchbay.Cli.Commands;

internal static class LabCommand
{
    public static Command Create()
    {
        var command = new Command("lab", "A multi-host Patchbay lab in network namespaces on this machine (root)")
        {
            CreateUp(),
            CreateLs(),
            CreateExec(),
            CreateDown(),
            CreateDemo(),
            CreateEnv(),
            LabContainerCommand.Create(),
        };
        return command;
    }

    internal static Option<string> NameOption() => new("--name") { Description = "The lab's name: prefix of its namespaces and state directory", DefaultValueFactory = _ => "pb" };

    private static Command CreateUp()
    {
        var name = NameOption();
        var hosts = new Option<int>("--hosts") { Description = "Number of hosts", DefaultValueFactory = _ => 3 };
        var containers = new Option<int>("--containers-per-host") { Description = "Containers per host", DefaultValueFactory = _ => 2 };
        var idle = new Option<int?>("--idle-timeout") { Description = "The controller's conversation idle timeout in seconds" };
        var command = new Command("up", "Create the lab: fabric, hosts (OVS + agent), controller, network 'lab' and containers c1..cK") { name, hosts, containers, idle };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var labName = parseResult.GetRequiredValue(name);
            if (HotPlugLab.ValidateName(labName) is { } error)
            {
                await output.WriteLineAsync(error);
                return 2;
            }

            var options = new LabOptions(labName, parseResult.GetValue(hosts), parseResult.GetValue(containers), parseResult.GetValue(idle));
            if (options.Hosts is < 1 or > 200 || options.ContainersPerHost is < 0 or > 100)
            {
                await output.WriteLineAsync("--hosts must be 1-200 and --containers-per-host 0-100");
                return 2;
            }

            try
            {
                var state = await new HotPlugLab(output).UpAsync(options, cancellationToken);
                await WriteTableAsync(output, state);
                return 0;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return 1;
            }
        });
        return command;
    }

    private static Command CreateLs()
    {
        var name = NameOption();
        var format = new Option<string>("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("ls", "List the lab's hosts and containers") { name, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var state = HotPlugLab.Load(parseResult.GetRequiredValue(name));
            if (state is null)
            {
                await output.WriteLineAsync($"No lab named '{parseResult.GetRequiredValue(name)}' (start one with `patchbay lab up`).");
                return 1;
            }

            if (parseResult.GetRequiredValue(format) == "json")
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new LabListing(state.Hosts, state.Containers), LabJsonContext.Default.LabListing));
            }
            else
            {
                await WriteTableAsync(output, state);
            }

            return 0;
        });
        return command;
    }

    private static Command CreateExec()
    {
        var name = NameOption();
        var container = new Argument<string>("container") { Description = "The container (c1, ...)" };
        var commandLine = new Argument<string[]>("command") { Description = "The command to run in the container's namespace (after --)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command inside a container's network namespace; its exit code is passed through") { name, container, commandLine };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var labName = parseResult.GetRequiredValue(name);
            var state = HotPlugLab.Load(labName);
            var target = state?.Containers.FirstOrDefault(c => c.Name == parseResult.GetRequiredValue(container));
            if (target is null)
            {
                await output.WriteLineAsync($"No container '{parseResult.GetRequiredValue(container)}' in lab '{labName}'.");
                return 1;
            }

            var startInfo = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (var argument in new[] { "netns", "exec", target.Netns }.Concat(parseResult.GetRequiredValue(commandLine)))
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start ip netns exec");
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        });
        return command;
    }

    private static Command CreateDown()
    {
        var name = NameOption();
        var command = new Command("down", "Remove the lab: processes, namespaces, OVS files, state directory (also after a crash)") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await new HotPlugLab(parseResult.InvocationConfiguration.Output).DownAsync(parseResult.GetRequiredValue(name), cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command CreateDemo()
    {
        var name = NameOption();
        var command = new Command("demo", "Bring a 3x2 lab up and show hot-plug routing on real traffic; the lab stays up (what `make demo` runs)") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var labName = parseResult.GetRequiredValue(name);
            if (HotPlugLab.ValidateName(labName) is { } error)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(error);
                return 2;
            }

            return await new HotPlugDemo(parseResult.InvocationConfiguration.Output).RunAsync(labName, cancellationToken);
        });
        return command;
    }

    private static Command CreateEnv()
    {
        var name = NameOption();
        var command = new Command("env", "Print the shell line that points the CLI at the lab's controller: eval \"$(patchbay lab env)\"") { name }
            .WithExamples("eval \"$(patchbay lab env)\"", "patchbay lab env --name lab2");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var labName = parseResult.GetRequiredValue(name);
            if (HotPlugLab.Load(labName) is not { } state)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"patchbay: no lab named '{labName}' (start one with `patchbay lab up`)");
                return 1;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"export {ApiTarget.EnvironmentVariable}=unix:{state.ApiSocket}");
            return 0;
        });
        return command;
    }

    private static async Task WriteTableAsync(TextWriter output, LabState state)
    {
        await output.WriteLineAsync($"Lab '{state.Name}': state {state.Directory}, API unix:{state.ApiSocket}, fabric {state.FabricNetns} (segment {state.Segment})");
        // Aligned by TableWriter: container names from `lab container add` may be longer than c1..cK.
        await TableWriter.WriteAsync(
            output,
            ["HOST", "NETNS", "UNDERLAY", "AGENT PID"],
            [.. state.Hosts.Select(h => (IReadOnlyList<string>)[h.Name, h.Netns, h.UnderlayIp, h.AgentPid.ToString(CultureInfo.InvariantCulture)])]);
        await TableWriter.WriteAsync(
            output,
            ["NAME", "HOST", "NETNS", "IP", "MAC", "PORT"],
            [.. state.Containers.Select(c => (IReadOnlyList<string>)[c.Name, c.Host, c.Netns, c.Ip, c.Mac, c.OvsPort.ToString(CultureInfo.InvariantCulture)])]);
    }
}
