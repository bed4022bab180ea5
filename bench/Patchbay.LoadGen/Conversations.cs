// What each PACKET_IN is about. Learning-switch controllers get cbench's traffic: every packet a new
// source MAC (and IP), its destination the previous packet's source, so the controller has always just
// learned it and answers with a FLOW_MOD. Patchbay's real path gets first packets of new cross-host
// conversations between registered endpoints, never the same endpoint pair twice (until the pairs run out).
namespace Patchbay.LoadGen;

public interface IConversationSource
{
    /// <summary>The conversation of the switch's <paramref name="sequence"/>-th PACKET_IN (0-based).</summary>
    Conversation Next(long sequence);
}

/// <summary>cbench-style learning-switch traffic for switch <paramref name="switchIndex"/>.</summary>
public sealed class LearningConversations(int switchIndex) : IConversationSource
{
    private const uint Ports = 4;

    public Conversation Next(long sequence)
    {
        uint n = (uint)sequence;
        uint previous = n - 1;
        return new Conversation(1 + (n % Ports), Mac(n), Mac(previous), Ip(n), Ip(previous));
    }

    // 02:SS:NN:NN:NN:NN, locally administered, unique per switch and sequence.
    private ulong Mac(uint n) => 0x02_00_0000_0000UL | ((ulong)(byte)switchIndex << 32) | n;

    // 10.0.0.0/8 by sequence; the learning switch does not look at IPs, the frame only has to be real IPv4.
    private static uint Ip(uint n) => 0x0a00_0000u | (n & 0x00ff_ffff);
}

/// <summary>An endpoint registered with Patchbay for the benchmark: its host (switch index), OpenFlow port, MAC and IP.</summary>
public sealed record BenchEndpoint(int Host, uint Port, ulong Mac, uint Ip, string Name);

/// <summary>
/// First packets from the endpoints of one switch (host) to endpoints on other hosts.
/// A pair {x, y} of global endpoint indexes is sent by x exactly when (x &lt; y) equals (x + y odd), so across
/// all switches every unordered pair comes up once before the enumeration wraps.
/// </summary>
public sealed class PatchbayConversations : IConversationSource
{
    private readonly IReadOnlyList<BenchEndpoint> _all;
    private readonly int _first;
    private readonly int _local;
    private long _cursor;

    public PatchbayConversations(int switchIndex, int endpointsPerHost, IReadOnlyList<BenchEndpoint> all)
    {
        ArgumentNullException.ThrowIfNull(all);
        _all = all;
        _first = switchIndex * endpointsPerHost;
        _local = endpointsPerHost;
    }

    /// <summary>How many times this switch ran out of new pairs and started over (its later packets repeat conversations).</summary>
    public int Wraps { get; private set; }

    public Conversation Next(long sequence)
    {
        long space = (long)_local * _all.Count;
        while (true)
        {
            long k = _cursor++;
            if (_cursor >= space)
            {
                _cursor = 0;
                Wraps++;
            }

            int x = _first + (int)(k / _all.Count);
            int y = (int)(k % _all.Count);
            BenchEndpoint source = _all[x];
            BenchEndpoint destination = _all[y];
            if (destination.Host != source.Host && (x < y) == (((x + y) & 1) == 1))
            {
                return new Conversation(source.Port, source.Mac, destination.Mac, source.Ip, destination.Ip);
            }
        }
    }
}
