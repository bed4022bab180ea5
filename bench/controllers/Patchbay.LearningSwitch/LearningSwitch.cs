// os-ken's simple_switch_13, on Patchbay's own OpenFlow stack (OpenFlowListener, SwitchSession, codec):
// on connect a table-miss flow sends whole packets to the controller; on PACKET_IN the source MAC is
// learned on its port, a known destination gets a FLOW_MOD (in_port, eth_dst, eth_src -> output) that
// carries the buffer id, and an unknown one a flooding PACKET_OUT. The benchmark's like-for-like app.
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.LearningSwitch;

public sealed class LearningSwitch : IOpenFlowHandler
{
    private const ushort EtherTypeLldp = 0x88cc;

    // One MAC table per session; a session's messages come one at a time, so its table needs no lock.
    private readonly ConcurrentDictionary<SwitchSession, Dictionary<ulong, uint>> _tables = new();

    public async ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
    {
        _tables[session] = [];
        var tableMiss = new FlowMod
        {
            Priority = 0,
            Instructions = [new ApplyActionsInstruction([new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer)])],
        };
        await session.SendAsync(tableMiss, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken)
    {
        if (message is not PacketIn packetIn || packetIn.InPort is not uint inPort || packetIn.Data.Length < 14
            || !_tables.TryGetValue(session, out Dictionary<ulong, uint>? table))
        {
            return;
        }

        ReadOnlySpan<byte> frame = packetIn.Data.Span;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) == EtherTypeLldp)
        {
            return;
        }

        ulong destination = Mac(frame);
        ulong source = Mac(frame[6..]);
        table[source] = inPort;
        uint outPort = table.TryGetValue(destination, out uint known) ? known : OfpPortNo.Flood;
        OfpAction[] actions = [new OutputAction(outPort)];
        if (outPort != OfpPortNo.Flood)
        {
            var flow = new FlowMod
            {
                Priority = 1,
                BufferId = packetIn.BufferId,
                Match = new OfpMatch([Oxm.InPort(inPort), Oxm.EthDst(frame[..6]), Oxm.EthSrc(frame[6..12])]),
                Instructions = [new ApplyActionsInstruction(actions)],
            };
            await session.SendAsync(flow, cancellationToken).ConfigureAwait(false);

            // The switch sends the buffered packet through the new flow itself.
            if (packetIn.BufferId != OfpConstants.NoBuffer)
            {
                return;
            }
        }

        ReadOnlyMemory<byte> data = packetIn.BufferId == OfpConstants.NoBuffer ? packetIn.Data : ReadOnlyMemory<byte>.Empty;
        await session.SendAsync(new PacketOut(packetIn.BufferId, inPort, actions, data), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed)
    {
        _tables.TryRemove(session, out _);
        return ValueTask.CompletedTask;
    }

    private static ulong Mac(ReadOnlySpan<byte> bytes) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
}
