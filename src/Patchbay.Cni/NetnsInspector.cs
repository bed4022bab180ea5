// CHECK looks inside the container's namespace: the interface, its MAC, its IPv4 addresses and default routes, as
// iproute2 reports them in JSON (nsenter into the namespace file; the plugin runs in the runtime's namespace).
using System.Diagnostics;
using System.Text.Json;

namespace Patchbay.Cni;

/// <summary>An interface as found inside a namespace.</summary>
/// <param name="Addresses">IPv4 addresses as "ip/prefix".</param>
/// <param name="DefaultGateways">Gateways of the namespace's IPv4 default routes through this interface.</param>
public sealed record InterfaceState(string Mac, IReadOnlyList<string> Addresses, IReadOnlyList<string> DefaultGateways);

public interface INetnsInspector
{
    /// <summary>The interface in the namespace, or null when the namespace has no such interface.</summary>
    Task<InterfaceState?> InspectAsync(string netns, string ifName, CancellationToken cancellationToken);
}

public sealed class IprouteNetnsInspector : INetnsInspector
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<InterfaceState?> InspectAsync(string netns, string ifName, CancellationToken cancellationToken)
    {
        (int linkExit, string links) = await RunAsync(netns, ["-j", "addr", "show", "dev", ifName], cancellationToken);
        if (linkExit != 0)
        {
            return null;
        }

        using JsonDocument linkDocument = JsonDocument.Parse(links);
        JsonElement link = linkDocument.RootElement.EnumerateArray().FirstOrDefault();
        if (link.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string mac = link.TryGetProperty("address", out JsonElement address) ? address.GetString() ?? string.Empty : string.Empty;
        var addresses = new List<string>();
        if (link.TryGetProperty("addr_info", out JsonElement infos))
        {
            foreach (JsonElement info in infos.EnumerateArray())
            {
                if (info.GetProperty("family").GetString() == "inet")
                {
                    addresses.Add($"{info.GetProperty("local").GetString()}/{info.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }

        (int routeExit, string routes) = await RunAsync(netns, ["-j", "-4", "route", "show", "default", "dev", ifName], cancellationToken);
        var gateways = new List<string>();
        if (routeExit == 0)
        {
            using JsonDocument routeDocument = JsonDocument.Parse(routes);
            foreach (JsonElement route in routeDocument.RootElement.EnumerateArray())
            {
                if (route.TryGetProperty("gateway", out JsonElement gateway) && gateway.GetString() is string via)
                {
                    gateways.Add(via);
                }
            }
        }

        return new InterfaceState(mac, addresses, gateways);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string netns, string[] ipArguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--net=" + netns);
        start.ArgumentList.Add("--");
        start.ArgumentList.Add("ip");
        foreach (string argument in ipArguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new CniException(CniErrorCode.IoFailure, "could not start nsenter");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        Task<string> output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        Task<string> error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            _ = await error;
            return (process.ExitCode, (await output).Trim() is { Length: > 0 } text ? text : "[]");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new CniException(CniErrorCode.IoFailure, $"inspecting namespace {netns} took longer than {Timeout.TotalSeconds:0} s");
        }
    }
}
