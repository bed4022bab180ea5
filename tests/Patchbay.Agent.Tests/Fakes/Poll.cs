// Waiting for a condition that another task makes true, with a deadline that fails the test with what it waited for
// (a bare cancelled delay would say only "A task was canceled").
namespace Patchbay.Agent.Tests.Fakes;

internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within 10 s: {what}");
            }

            await Task.Delay(10);
        }
    }
}
