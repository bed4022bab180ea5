// Latencies in a log-linear histogram (HdrHistogram's idea, much smaller): 64 powers of two of nanoseconds,
// each cut into 128 linear sub-buckets, so a percentile is off by less than 1% and recording allocates nothing.
namespace Patchbay.LoadGen;

public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;

    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }

    public void Record(long nanoseconds)
    {
        _counts[Index(Math.Max(nanoseconds, 0))]++;
        Count++;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The smallest recorded value (bucket midpoint) at or below which <paramref name="percentile"/>% of the samples lie; 0 when empty.</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(Count * percentile / 100.0));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }

        return Midpoint(_counts.Length - 1);
    }

    // Values below 128 ns get one bucket each; above, the top 7 bits after the leading one pick the sub-bucket.
    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        int magnitude = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        int shift = magnitude - SubBucketBits;
        int sub = (int)(value >> shift) & (SubBuckets - 1);
        return ((shift + 1) << SubBucketBits) + sub;
    }

    private static long Midpoint(int index)
    {
        int group = index >> SubBucketBits;
        long sub = index & (SubBuckets - 1);
        if (group == 0)
        {
            return sub;
        }

        int shift = group - 1;
        long low = (SubBuckets + sub) << shift;
        return low + ((1L << shift) >> 1);
    }
}
