// `patchbay lab container add|rm`: namespace containers on a running lab's hosts, plugged through the host agents.
using System.CommandLine;
using Patchbay.Cli.Api;
using Patchbay.Cli.Help;
using Patchbay.Cli.Lab;

namespace Patchbay.Cli.Commands;

internal static class LabContainerCommand
{
    public static Command Create()
    {
        var command = new Command("container", "Add or remove a container (a network namespace plugged through its host's agent) in a running lab")
        {
            CreateAdd(),
            CreateRm(),
        };
        return command.WithExamples(
            "patchbay lab container add web1 --host h2 --network lab",
            "patchbay lab exec web1 -- ping -c 1 10.10.0.2",
            "patchbay lab container rm web1");
    }

    private static Command CreateAdd()
    {
        var name = LabCommand.NameOption();
        var container = new Argument<string>("NAME") { Description = "The container's name: also its endpoint's name and, prefixed with the lab's, its namespace's" };
        var host = new Option<string>("--host") { Description = "The lab host (h1, ...) whose agent plugs the container", HelpName = "host", Required = true };
        var network = new Option<string>("--network") { Description = "The network to join", HelpName = "network", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant [default: the network's]", HelpName = "tenant" };
        var ip = new Option<string?>("--ip") { Description = "The address [default: allocated from the network's subnet]", HelpName = "IP" };
        var labels = ResourceVerbs.LabelOption("Label KEY=VALUE on the container's endpoint (repeatable)");
        var command = new Command("add", "Create a container namespace on a lab host and plug it into a network through the host's agent")
        {
            name, container, host, network, tenant, ip, labels,
        }.WithExamples(
            "patchbay lab container add web1 --host h2 --network lab",
            "patchbay lab container add db1 --host h1 --network blue --tenant acme --ip 10.1.0.10 --label role=db");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, name, async state =>
        {
            var request = new LabContainerRequest(
                parseResult.GetRequiredValue(container),
                parseResult.GetRequiredValue(host),
                parseResult.GetRequiredValue(network),
                parseResult.GetValue(tenant),
                parseResult.GetValue(ip),
                ResourceVerbs.ParseLabels(parseResult.GetValue(labels)));
            var (_, added) = await LabContainers.AddAsync(state, request, cancellationToken);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(
                $"container '{added.Name}' on {added.Host}: {added.Ip} {added.Mac}, port {added.OvsPort}, namespace {added.Netns}");
        }));
        return command;
    }

    private static Command CreateRm()
    {
        var name = LabCommand.NameOption();
        var container = new Argument<string>("NAME") { Description = "The container to remove" };
        var command = new Command("rm", "Unplug a container through its host's agent (its endpoint is deleted) and remove its namespace") { name, container }
            .WithExamples("patchbay lab container rm web1");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, name, async state =>
        {
            var target = parseResult.GetRequiredValue(container);
            await LabContainers.RemoveAsync(state, target, cancellationToken);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"container '{target}' removed");
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, Option<string> name, Func<LabState, Task> action)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var labName = parseResult.GetRequiredValue(name);
        try
        {
            await action(HotPlugLab.Load(labName) ?? throw new CliUserException($"no lab named '{labName}' (start one with `patchbay lab up`)"));
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
    }
}
