// IdMap keeps values by conversation id in stripes of fixed-size segments: what goes in comes out, across stripes
// and segments, a segment emptied is dropped and made again, and a conditional removal or an update touches
// only its own id.
using Patchbay.Controller.State;

namespace Patchbay.Controller.Tests.State;

public sealed class IdMapTests
{
    // Ids 64 apart share a stripe; 1,024 apart, a stripe's next segment.
    private static readonly ulong[] Spread = [0, 1, 63, 64, 65, 1_023, 1_024, 1_088, 16_384, 1UL << 40, ulong.MaxValue];

    [Fact]
    public void TryAdd_IdsAcrossStripesAndSegments_EachFoundWithItsValue()
    {
        var map = new IdMap<string>();
        foreach (ulong id in Spread)
        {
            Assert.True(map.TryAdd(id, $"v{id}"));
        }

        foreach (ulong id in Spread)
        {
            Assert.True(map.TryGetValue(id, out string? value));
            Assert.Equal($"v{id}", value);
        }

        Assert.False(map.TryGetValue(2, out _));
        Assert.False(map.ContainsKey(1_025));
        Assert.Equal(Spread.Select(id => $"v{id}").Order(), map.Values().Order());
    }

    [Fact]
    public void TryAdd_IdPresent_FalseAndValueKept()
    {
        var map = new IdMap<string>();
        map.TryAdd(7, "first");

        Assert.False(map.TryAdd(7, "second"));
        Assert.True(map.TryGetValue(7, out string? value));
        Assert.Equal("first", value);
    }

    [Fact]
    public void TryRemove_LastOfItsSegment_SegmentDroppedAndIdAddableAgain()
    {
        var map = new IdMap<int>();
        map.TryAdd(64, 1);
        map.TryAdd(128, 2);

        Assert.True(map.TryRemove(64, out int first));
        Assert.True(map.TryRemove(128, out int second));
        Assert.Equal((1, 2), (first, second));
        Assert.False(map.ContainsKey(64));
        Assert.False(map.TryRemove(64, out _));
        Assert.Empty(map.Values());

        Assert.True(map.TryAdd(128, 3));
        Assert.True(map.TryGetValue(128, out int again));
        Assert.Equal(3, again);
    }

    [Fact]
    public void TryRemoveExpected_OtherValue_KeptThenRemovedWhenItMatches()
    {
        var map = new IdMap<string>();
        map.TryAdd(5, "a");

        Assert.False(map.TryRemove(5, "b"));
        Assert.True(map.ContainsKey(5));
        Assert.True(map.TryRemove(5, "a"));
        Assert.False(map.ContainsKey(5));
    }

    [Fact]
    public void Set_NewAndPresent_AddsThenReplaces()
    {
        var map = new IdMap<string>();
        map.Set(9, "a");
        map.Set(9, "b");

        Assert.True(map.TryGetValue(9, out string? value));
        Assert.Equal("b", value);
        Assert.Single(map.Values());
        Assert.True(map.TryRemove(9, out _));
        Assert.Empty(map.Values());
    }

    [Fact]
    public void TryUpdate_PresentAndAbsent_ReplacesOnlyThePresentOne()
    {
        var map = new IdMap<int>();
        map.TryAdd(3, 10);

        Assert.True(map.TryUpdate(3, v => v + 1));
        Assert.False(map.TryUpdate(4, v => v + 1));
        Assert.True(map.TryGetValue(3, out int value));
        Assert.Equal(11, value);
        Assert.False(map.ContainsKey(4));
    }

    [Fact]
    public async Task TryAdd_ManyThreadsConsecutiveIds_EveryIdOnce()
    {
        var map = new IdMap<ulong>();
        const int PerThread = 50_000;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (ulong i = 0; i < PerThread; i++)
            {
                ulong id = (i * 4) + (ulong)t;
                Assert.True(map.TryAdd(id, id));
            }
        })));

        List<ulong> values = map.Values();
        Assert.Equal(4 * PerThread, values.Count);
        Assert.Equal(Enumerable.Range(0, 4 * PerThread).Select(i => (ulong)i), values.Order());
    }
}
