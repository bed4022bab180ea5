// Registers the host with the controller and keeps registering it (POST /v1/hosts is an upsert): quickly with
// backoff while the controller does not answer, then once per heartbeat, so a restarted controller learns the host
// within one interval. Each time the controller answers again after a gap, the caller hears of it.
using Microsoft.Extensions.Logging;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Registration;

public sealed class HostRegistrar
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly PatchbayApiClient _api;
    private readonly HostRegistration _registration;
    private readonly AgentOptions _options;
    private readonly ILogger _logger;

    public HostRegistrar(PatchbayApiClient api, HostRegistration registration, AgentOptions options, ILogger logger)
    {
        _api = api;
        _registration = registration;
        _options = options;
        _logger = logger;
    }

    /// <summary>Runs until cancelled; <paramref name="onRegistered"/> runs after the first success and after every success that follows a failure.</summary>
    public async Task RunAsync(Action onRegistered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRegistered);
        bool registered = false;
        TimeSpan retryDelay = FirstRetryDelay;
        while (true)
        {
            TimeSpan wait;
            try
            {
                await _api.RegisterHostAsync(_registration, cancellationToken);
                if (!registered)
                {
                    registered = true;
                    AgentLog.Registered(_logger, _registration.Name);
                    onRegistered();
                }

                retryDelay = FirstRetryDelay;
                wait = _options.HeartbeatInterval;
            }
            catch (Exception e) when (e is PatchbayApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                registered = false;
                AgentLog.RegistrationFailed(_logger, e, _registration.Name, (long)retryDelay.TotalMilliseconds);
                wait = retryDelay;
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }

            await Task.Delay(wait, cancellationToken);
        }
    }
}
