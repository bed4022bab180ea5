// Runs the learning switch on tcp:127.0.0.1:PORT until SIGTERM/SIGINT: Patchbay's like-for-like entry in
// the controller comparison (bench/controllers/run.sh).
using System.Globalization;
using Patchbay.LearningSwitch;
using Patchbay.OpenFlow.Connection;

if (args.Length != 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
{
    await Console.Error.WriteLineAsync("usage: Patchbay.LearningSwitch PORT (listens on tcp:127.0.0.1:PORT)");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var listener = new OpenFlowListener([OpenFlowEndpoint.Tcp("127.0.0.1", port)], new LearningSwitch());
listener.Start();
await Console.Error.WriteLineAsync($"learning switch listening on {listener.Endpoints[0]}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM or Ctrl-C: dispose closes every session.
}

return 0;
