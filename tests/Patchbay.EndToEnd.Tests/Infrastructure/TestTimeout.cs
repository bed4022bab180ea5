// Every end-to-end step has a deadline so a switch that never answers fails the test instead of hanging CI.
namespace Patchbay.EndToEnd.Tests.Infrastructure;

internal static class TestTimeout
{
    /// <summary>A token that cancels after the given number of seconds (30 by default); dispose the source.</summary>
    public static CancellationTokenSource Start(int seconds = 30) => new(TimeSpan.FromSeconds(seconds));
}
