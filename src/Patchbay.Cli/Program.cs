// Entry point of the `patchbay` executable: builds the command tree and runs the parsed command.
using System.CommandLine;
using Patchbay.Cli;

// On Ctrl-C / SIGTERM the running command's token is cancelled; give it time to tear down what it
// created (namespaces, OVS daemons, sockets) before the process is ended regardless.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
return await PatchbayCommand.Create().Parse(args).InvokeAsync(invocation);
