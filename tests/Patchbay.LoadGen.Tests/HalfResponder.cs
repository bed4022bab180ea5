// An in-process controller on Patchbay's listener that answers every other PACKET_IN of each switch (the
// 2nd, 4th, ...) in a way the test picks, so the generator's bookkeeping can be checked against known counts.
using System.Collections.Concurrent;
using System.Net;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.LoadGen.Tests;

public enum AnswerStyle
{
    /// <summary>PACKET_OUT naming the buffer id.</summary>
    BufferedPacketOut,

    /// <summary>SET_CONFIG asks for unbuffered packets; a FLOW_MOD without buffer id (must not count), then a PACKET_OUT carrying the frame.</summary>
    UnbufferedPacketOut,

    /// <summary>FLOW_MOD naming the buffer id, then a PACKET_OUT naming it again (the second must count as unmatched, not as a response).</summary>
    FlowModThenDuplicate,
}

public sealed class HalfResponder(AnswerStyle style) : IOpenFlowHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<SwitchSession, int> _seen = new();
    private OpenFlowListener? _listener;

    public int PacketIns => _seen.Values.Sum();

    public IPEndPoint Start()
    {
        _listener = new OpenFlowListener([OpenFlowEndpoint.Tcp("127.0.0.1", 0)], this);
        _listener.Start();
        return new IPEndPoint(IPAddress.Loopback, _listener.Endpoints[0].Port);
    }

    public async ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        _seen[session] = 0;
        if (style == AnswerStyle.UnbufferedPacketOut)
        {
            await session.SendAsync(new SetConfig(ConfigFlags.FragNormal, OfpControllerMaxLen.NoBuffer), cancellationToken);
        }
    }

    public async ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        if (message is not PacketIn packetIn)
        {
            return;
        }

        int seen = _seen.AddOrUpdate(session, 1, (_, n) => n + 1);
        if (seen % 2 == 1)
        {
            return;
        }

        uint inPort = packetIn.InPort ?? 1;
        switch (style)
        {
            case AnswerStyle.BufferedPacketOut:
                await session.SendAsync(new PacketOut(packetIn.BufferId, inPort, [new OutputAction(OfpPortNo.Flood)], ReadOnlyMemory<byte>.Empty), cancellationToken);
                break;
            case AnswerStyle.UnbufferedPacketOut:
                await session.SendAsync(new FlowMod { Priority = 1 }, cancellationToken);
                await session.SendAsync(new PacketOut(OfpConstants.NoBuffer, inPort, [new OutputAction(OfpPortNo.Table)], packetIn.Data), cancellationToken);
                break;
            case AnswerStyle.FlowModThenDuplicate:
                await session.SendAsync(new FlowMod { Priority = 1, BufferId = packetIn.BufferId }, cancellationToken);
                await session.SendAsync(new PacketOut(packetIn.BufferId, inPort, [new OutputAction(OfpPortNo.Flood)], ReadOnlyMemory<byte>.Empty), cancellationToken);
                break;
        }
    }

    public ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed) => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }
}
