// The switches that are connected now, by datapath id, and which of them are ready (their host is
// registered and the pipeline installed). Conversation setup and the REST layer find a host's switch here.
using System.Collections.Concurrent;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.Controller.Switching;

/// <summary>One connected switch.</summary>
public sealed class SwitchContext(SwitchSession session, ulong datapathId)
{
    public SwitchSession Session { get; } = session;

    public ulong DatapathId { get; } = datapathId;

    /// <summary>Serializes what rewrites this switch's static flows: configuration and endpoint (un)plugging.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    private volatile string? _configuredHost;

    /// <summary>The host whose pipeline is installed on the switch; null until then (read by every PACKET_IN, written under <see cref="Gate"/>).</summary>
    public string? ConfiguredHost
    {
        get => _configuredHost;
        set => _configuredHost = value;
    }

    public bool IsReady => ConfiguredHost is not null && Session.State == SwitchSessionState.Connected;
}

public sealed class SwitchRegistry(IControllerState state)
{
    private readonly ConcurrentDictionary<ulong, SwitchContext> _switches = new();

    public IReadOnlyCollection<SwitchContext> All => [.. _switches.Values];

    /// <summary>Adds the switch; a previous session with the same datapath id (a reconnect) is replaced and returned.</summary>
    public SwitchContext? Add(SwitchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SwitchContext? previous = null;
        _switches.AddOrUpdate(context.DatapathId, context, (_, old) =>
        {
            previous = old;
            return context;
        });
        return previous;
    }

    /// <summary>Removes the switch if <paramref name="session"/> is still the one registered for its datapath.</summary>
    public SwitchContext? Remove(SwitchSession session, ulong datapathId)
    {
        if (_switches.TryGetValue(datapathId, out SwitchContext? context) && context.Session == session
            && _switches.TryRemove(new KeyValuePair<ulong, SwitchContext>(datapathId, context)))
        {
            return context;
        }

        return null;
    }

    public SwitchContext? ByDatapath(ulong datapathId) => _switches.GetValueOrDefault(datapathId);

    /// <summary>The switch of <paramref name="hostName"/> when it is connected and configured; null otherwise.</summary>
    public SwitchContext? ReadyFor(string hostName)
    {
        Host? host = state.FindHost(hostName);
        return host is not null && _switches.TryGetValue(host.DatapathId, out SwitchContext? context) && context.IsReady && context.ConfiguredHost == hostName
            ? context
            : null;
    }
}
