// What one generator run does: where the controller is, how many switches, which traffic, which mode and
// how long. Every run is bounded: a fixed number of loops of a fixed duration, or a fixed count per switch.
using System.Net;

namespace Patchbay.LoadGen;

public enum LoadMode
{
    /// <summary>A window of outstanding PACKET_INs per switch: responses per second.</summary>
    Throughput,

    /// <summary>One outstanding PACKET_IN per switch: the time from PACKET_IN to its answer.</summary>
    Latency,
}

public enum TrafficKind
{
    /// <summary>cbench's traffic for learning-switch controllers (new MACs every packet).</summary>
    Learning,

    /// <summary>First packets of new cross-host conversations between endpoints registered with Patchbay.</summary>
    Patchbay,
}

public sealed record LoadOptions
{
    public required IPEndPoint Controller { get; init; }

    /// <summary>Shown in the report ("patchbay-learning", "os-ken", ...).</summary>
    public string Label { get; init; } = "controller";

    public int Switches { get; init; } = 16;

    public LoadMode Mode { get; init; } = LoadMode.Throughput;

    /// <summary>Outstanding PACKET_INs per switch in throughput mode (latency mode uses 1).</summary>
    public int Window { get; init; } = 64;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Loops { get; init; } = 1;

    /// <summary>Instead of timed loops: send exactly this many PACKET_INs per switch, then wait for their answers.</summary>
    public long? Count { get; init; }

    /// <summary>A PACKET_IN unanswered for this long is counted lost and its window slot reused.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the switches may take to connect and be configured.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TrafficKind Traffic { get; init; } = TrafficKind.Learning;

    /// <summary>Patchbay traffic: the controller's REST API (http://127.0.0.1:PORT or unix:PATH).</summary>
    public string? PatchbayApi { get; init; }

    /// <summary>Patchbay traffic: endpoints registered on every emulated host (250 on 16 hosts give 7.5 million endpoint pairs).</summary>
    public int EndpointsPerHost { get; init; } = 250;

    /// <summary>Switch i has datapath id base + i.</summary>
    public ulong DatapathIdBase { get; init; } = 0x0000_5042_0000_0001;

    public int EffectiveWindow => Mode == LoadMode.Latency ? 1 : Window;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Controller);
        if (!IPAddress.IsLoopback(Controller.Address))
        {
            throw new ArgumentException($"the controller must be on loopback, not {Controller.Address}");
        }

        if (Switches is < 1 or > 255)
        {
            throw new ArgumentException("--switches must be 1..255");
        }

        if (Window is < 1 or > 16384)
        {
            throw new ArgumentException("--window must be 1..16384");
        }

        if (Loops is < 1 or > 100 || Duration <= TimeSpan.Zero || Duration > TimeSpan.FromMinutes(10) || Warmup < TimeSpan.Zero || Warmup > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException("--loops must be 1..100, --duration 0..600 s and --warmup 0..300 s");
        }

        if (Count is < 1 or > 100_000_000)
        {
            throw new ArgumentException("--count must be 1..100000000 per switch");
        }

        if (Traffic == TrafficKind.Patchbay && (PatchbayApi is null || EndpointsPerHost is < 2 or > 250))
        {
            throw new ArgumentException("patchbay traffic needs --api and --endpoints-per-host 2..250");
        }
    }
}
