// patchbay-cni: the CNI plugin executable. A runtime starts it once per verb with CNI_* in the environment and the
// network configuration on stdin; it answers on stdout (SPEC.md "Execution protocol").
using Patchbay.Cni;

Console.InputEncoding = System.Text.Encoding.UTF8;
return await new CniPlugin(new IprouteNetnsInspector()).RunAsync(
    Environment.GetEnvironmentVariables(),
    Console.In,
    Console.Out,
    CancellationToken.None);
