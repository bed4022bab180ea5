// The per-host PACKET_IN budget on a fake clock: burst and refill, the fair share per port (a flooding port
// never spends another port's share, a port that starts sending during a flood is served at once), separate
// budgets per switch, and the rate-limited warning count.
using Microsoft.Extensions.Time.Testing;
using Patchbay.Controller.Switching;

namespace Patchbay.Controller.Tests.Switching;

public sealed class PacketInBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryTake_OnePort_HalfTheBurstAtOnceThenTheRate()
    {
        PacketInBudget budget = Budget(ratePps: 100, burst: 20);

        // One share of the burst is kept for a port that starts sending: alone, a port gets burst / 2.
        Assert.Equal(10, Take(budget, 1, 1, attempts: 50));

        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(5, Take(budget, 1, 1, attempts: 50));
    }

    [Fact]
    public void TryTake_AfterLongQuiet_NoMoreThanTheBurstShare()
    {
        PacketInBudget budget = Budget(ratePps: 100, burst: 20);
        Take(budget, 1, 1, attempts: 50);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(10, Take(budget, 1, 1, attempts: 50));
    }

    [Fact]
    public void TryTake_FloodingPort_CannotTakeAnotherPortsShare()
    {
        PacketInBudget budget = Budget(ratePps: 1000, burst: 100);
        int flooder = 0;
        int quiet = 0;

        // Two seconds in 1 ms steps: port 1 tries 50 PACKET_INs a millisecond (50,000/s), port 2 one every 10 ms.
        for (int ms = 0; ms < 2000; ms++)
        {
            flooder += Take(budget, 1, 1, attempts: 50);
            if (ms % 10 == 0)
            {
                quiet += Take(budget, 1, 2, attempts: 1);
            }

            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(200, quiet);
        // Half the rate for the flooder while both are active, plus the half burst it took while still alone.
        Assert.InRange(flooder, 950, 1000 + 50);
        Assert.InRange(flooder + quiet, 0, (2 * 1000) + 100);
    }

    [Fact]
    public void TryTake_PortStartsWhileAnotherFloodsAlone_ItsFirstPacketsAdmitted()
    {
        PacketInBudget budget = Budget(ratePps: 1000, burst: 100);
        for (int ms = 0; ms < 1000; ms++)
        {
            Take(budget, 1, 1, attempts: 50);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        // The flooder spent every token it could; the newcomer finds the spare share in the host bucket.
        Assert.Equal(5, Take(budget, 1, 2, attempts: 5));
        Assert.Equal(0, Take(budget, 1, 1, attempts: 50));
    }

    [Fact]
    public void TryTake_QuietPortForgotten_ComesBackWithAFullShare()
    {
        PacketInBudget budget = Budget(ratePps: 10, burst: 30);
        Take(budget, 1, 2, attempts: 100);
        Assert.Equal(0, Take(budget, 1, 2, attempts: 1));

        // Port 2 goes quiet for longer than the active window while port 1 keeps the switch busy.
        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            Take(budget, 1, 1, attempts: 1);
        }

        Assert.Equal(10, Take(budget, 1, 2, attempts: 100));
    }

    [Fact]
    public void TryTake_OneSwitchOverBudget_OtherSwitchUnaffected()
    {
        PacketInBudget budget = Budget(ratePps: 100, burst: 20);
        Take(budget, 1, 1, attempts: 1000);

        Assert.Equal(10, Take(budget, 2, 1, attempts: 1000));
    }

    [Fact]
    public void TryTake_Forgotten_SwitchStartsWithAFullBucket()
    {
        PacketInBudget budget = Budget(ratePps: 100, burst: 20);
        Take(budget, 1, 1, attempts: 1000);

        budget.Forget(1);

        Assert.Equal(10, Take(budget, 1, 1, attempts: 1000));
    }

    [Fact]
    public void TryTake_Refusals_ReportedOncePerWarningIntervalWithTheCountSince()
    {
        PacketInBudget budget = Budget(ratePps: 1, burst: 2, warning: TimeSpan.FromSeconds(10));
        Assert.True(budget.TryTake(1, 1, out long report));
        Assert.Equal(0, report);

        Assert.False(budget.TryTake(1, 1, out report));
        Assert.Equal(1, report);
        for (int i = 0; i < 5; i++)
        {
            Assert.False(budget.TryTake(1, 1, out report));
            Assert.Equal(0, report);
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(budget.TryTake(1, 1, out report));
        Assert.False(budget.TryTake(1, 1, out report));
        Assert.Equal(6, report);
    }

    [Theory]
    [InlineData(0u, 10u)]
    [InlineData(10u, 0u)]
    public void Constructor_ZeroRateOrBurst_Refused(uint rate, uint burst) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketInBudget(new PacketInBudgetOptions { RatePps = rate, Burst = burst }, _time));

    private PacketInBudget Budget(uint ratePps, uint burst, TimeSpan? warning = null) =>
        new(new PacketInBudgetOptions { RatePps = ratePps, Burst = burst, WarningInterval = warning ?? TimeSpan.FromSeconds(10) }, _time);

    private static int Take(PacketInBudget budget, ulong datapathId, uint port, int attempts)
    {
        int admitted = 0;
        for (int i = 0; i < attempts; i++)
        {
            admitted += budget.TryTake(datapathId, port, out _) ? 1 : 0;
        }

        return admitted;
    }
}
