// Which controller API the resource commands talk to: `--api`, else PATCHBAY_API, else the default socket.
// Accepts unix:/path, a bare /path to a socket, or http://HOST:PORT, and says where the address came from so an
// "unreachable" message can tell the user which knob to turn.
namespace Patchbay.Cli.Api;

internal sealed record ApiTarget(string Spec, string Source)
{
    /// <summary>The environment variable that names the API when `--api` is absent.</summary>
    public const string EnvironmentVariable = "PATCHBAY_API";

    /// <summary>Where `patchbay controller` listens when started without `--api`, and so where the CLI looks by default.</summary>
    public const string DefaultSocket = "/run/patchbay/api.sock";

    /// <summary>--api wins over PATCHBAY_API, which wins over the default socket; empty values count as absent.</summary>
    public static ApiTarget Resolve(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new ApiTarget(Normalize(option), "--api");
        }

        return environment(EnvironmentVariable) is { Length: > 0 } variable && !string.IsNullOrWhiteSpace(variable)
            ? new ApiTarget(Normalize(variable), EnvironmentVariable)
            : new ApiTarget("unix:" + DefaultSocket, "the default");
    }

    /// <summary>A bare absolute path is a unix socket; everything else must already be unix:PATH or http://HOST:PORT.</summary>
    public static string Normalize(string spec)
    {
        var trimmed = spec.Trim();
        return trimmed.StartsWith('/') ? "unix:" + trimmed : trimmed;
    }
}
