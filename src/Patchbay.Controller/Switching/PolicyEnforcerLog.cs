// Log messages of the policy enforcer (PolicyEnforcer.cs); event ids 3080-3089 (in the controller's switch range).
using Microsoft.Extensions.Logging;

namespace Patchbay.Controller.Switching;

internal static partial class PolicyEnforcerLog
{
    [LoggerMessage(3080, LogLevel.Information, "Policy generation {Generation} enforced: {Checked} live decisions re-decided, {Revoked} revoked, in {Milliseconds:F1} ms")]
    public static partial void PolicyEnforced(ILogger logger, long generation, int @checked, int revoked, double milliseconds);

    [LoggerMessage(3081, LogLevel.Error, "Enforcing policy generation {Generation} failed; the next change re-runs the pass against the last enforced engine")]
    public static partial void PolicyEnforcementFailed(ILogger logger, long generation, Exception exception);

    [LoggerMessage(3082, LogLevel.Warning, "Barrier after revoking conversations on host {Host} failed")]
    public static partial void PolicyBarrierFailed(ILogger logger, string host, Exception exception);
}
