// Prepares Patchbay's real path through its REST API, as agents would: one network, every emulated switch
// registered as a host (same segment, so direct mode), and endpoints with fixed ports, MACs and IPs on every
// host. It then waits until every host reports "connected" (its pipeline is installed).
using System.Globalization;
using Patchbay.Core.Api;

namespace Patchbay.LoadGen;

public sealed class PatchbaySetup(string api, TextWriter log)
{
    public const string Network = "loadgen";
    private const string Subnet = "10.200.0.0/16";
    private const int Parallel = 8;

    /// <summary>The endpoints the generator registers and sends from: 10.200.(H+1).(I+1) on port I+1 of host H
    /// (10.200.0.0/24 holds the network's gateway).</summary>
    public static IReadOnlyList<BenchEndpoint> Plan(int hosts, int endpointsPerHost)
    {
        var endpoints = new List<BenchEndpoint>(hosts * endpointsPerHost);
        for (int h = 0; h < hosts; h++)
        {
            for (int i = 0; i < endpointsPerHost; i++)
            {
                ulong mac = 0x02_50_42_00_00_00UL | ((ulong)h << 8) | (uint)(i + 1);
                uint ip = 0x0ac8_0000u | ((uint)(h + 1) << 8) | (uint)(i + 1);
                endpoints.Add(new BenchEndpoint(h, (uint)(i + 1), mac, ip, $"loadgen-h{h}-e{i}"));
            }
        }

        return endpoints;
    }

    public static string HostName(int index) => $"loadgen-h{index}";

    public async Task RegisterAsync(int hosts, ulong datapathIdBase, IReadOnlyList<BenchEndpoint> endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        using PatchbayApiClient client = PatchbayApiClient.Create(api);
        var started = TimeProvider.System.GetTimestamp();
        if ((await client.ListNetworksAsync(cancellationToken).ConfigureAwait(false)).All(n => n.Name != Network))
        {
            // A network's tenant must exist first.
            if ((await client.ListAllTenantsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).All(t => t.Name != "loadgen"))
            {
                await client.CreateTenantAsync(new TenantCreate("loadgen"), cancellationToken).ConfigureAwait(false);
            }

            await client.CreateNetworkAsync(new NetworkCreate(Network, "loadgen", Subnet), cancellationToken).ConfigureAwait(false);
        }

        for (int h = 0; h < hosts; h++)
        {
            await client.RegisterHostAsync(
                new HostRegistration(
                    HostName(h),
                    (datapathIdBase + (ulong)h).ToString("x16", CultureInfo.InvariantCulture),
                    Mac(0x02_50_42_ff_00_00UL | (uint)h),
                    0xfff0,
                    $"198.18.0.{h + 1}",
                    "loadgen"),
                cancellationToken).ConfigureAwait(false);
        }

        await System.Threading.Tasks.Parallel.ForEachAsync(
            endpoints,
            new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (endpoint, token) =>
            {
                if (await client.FindEndpointAsync(endpoint.Name, token).ConfigureAwait(false) is null)
                {
                    await client.CreateEndpointAsync(new EndpointCreate(endpoint.Name, Network, HostName(endpoint.Host), Ip: Ip(endpoint.Ip), Mac: Mac(endpoint.Mac)), token).ConfigureAwait(false);
                }

                await client.SetEndpointPortAsync(endpoint.Name, endpoint.Port, token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        while (true)
        {
            IReadOnlyList<HostView> views = await client.ListHostsAsync(cancellationToken).ConfigureAwait(false);
            int connected = views.Count(v => v.Name.StartsWith("loadgen-h", StringComparison.Ordinal) && v.State == "connected");
            if (connected >= hosts)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        log.WriteLine($"patchbay: {hosts} hosts and {endpoints.Count} endpoints registered and connected in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static string Mac(ulong mac) => string.Join(':', Enumerable.Range(0, 6).Select(i => ((byte)(mac >> (40 - (8 * i)))).ToString("x2", CultureInfo.InvariantCulture)));

    private static string Ip(uint ip) => $"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}";
}
