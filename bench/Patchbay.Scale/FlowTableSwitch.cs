// One emulated OpenFlow 1.3 switch for the scale benchmark: it answers the controller as a switch would
// (HELLO, FEATURES, ECHO, BARRIER, GET_CONFIG, ROLE, GET_ASYNC, DESC and list-shaped multipart requests) and,
// unlike the load generator's switch, keeps the flow table and the meters the controller programs, so the
// benchmark can count flows per table and per switch. A flow is keyed as a switch keys it, by (table,
// priority, match): ADD replaces the entry with the same key, DELETE_STRICT removes it, DELETE removes every
// entry its cookie/mask and table select. First packets are sent on demand (unbuffered, as the controller
// asks with SET_CONFIG) and a PACKET_OUT carrying the frame back counts as the controller's answer.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Scale;

/// <summary>The flows and meters one switch holds at one moment.</summary>
/// <param name="UnsupportedDeletes">Non-strict deletes with a match (the controller sends none; counted, not applied).</param>
/// <param name="StatsWhileHolding">Flow or meter stats requests answered with an empty list while the switch held entries.</param>
public sealed record SwitchCounts(int Flows, int ConversationFlows, int DropFlows, int Meters, long FlowMods, long PacketOuts, long Errors, long UnsupportedDeletes, long StatsWhileHolding);

public sealed class FlowTableSwitch : IAsyncDisposable
{
    private const int ErrorDataLength = 64;

    // ofp_flow_mod (spec 1.3.5, 7.3.4.1): header, cookie @8, cookie_mask @16, table_id @24, command @25,
    // idle/hard timeouts @26/@28, priority @30, buffer_id @32, out_port @36, out_group @40, flags @44, match @48.
    private const int FlowModMatchOffset = 48;

    private readonly Socket _socket;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly byte[] _receive = new byte[4 * OfpConstants.MaxMessageLength];
    private readonly OutputBuffer _out = new();
    private readonly Dictionary<FlowKey, ulong> _flows = [];
    private readonly Dictionary<ulong, List<FlowKey>> _byCookie = [];
    private readonly HashSet<FlowKey> _drops = [];
    private readonly HashSet<uint> _meters = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<uint> _answered;
    private Task _receiving = Task.CompletedTask;
    private int _conversationFlows;
    private long _flowMods;
    private long _packetOuts;
    private long _errors;
    private long _unsupportedDeletes;
    private long _statsWhileHolding;
    private uint _xid = 0x1000_0000;

    private FlowTableSwitch(Socket socket, int index, ulong datapathId, Action<uint> answered)
    {
        _socket = socket;
        Index = index;
        DatapathId = datapathId;
        _answered = answered;
    }

    public int Index { get; }

    public ulong DatapathId { get; }

    /// <summary>Completes once the controller has asked for (and got) the switch's features.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Connects to the controller on loopback, says HELLO and starts answering it.</summary>
    /// <param name="answered">Called (under the switch's lock) with the token of each first packet a PACKET_OUT carried back.</param>
    public static async Task<FlowTableSwitch> ConnectAsync(IPEndPoint controller, int index, ulong datapathId, Action<uint> answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (!IPAddress.IsLoopback(controller.Address))
        {
            throw new ArgumentException($"the scale benchmark only talks to loopback, not {controller.Address}", nameof(controller));
        }

        var socket = new Socket(controller.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(controller, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var emulated = new FlowTableSwitch(socket, index, datapathId, answered);
        lock (emulated._lock)
        {
            emulated._out.Append(new Hello([HelloElement.VersionBitmap(OfpConstants.Version13)]) { Xid = 1 });
        }

        await emulated.FlushAsync().ConfigureAwait(false);
        emulated._receiving = emulated.ReceiveLoopAsync(emulated._stop.Token);
        return emulated;
    }

    /// <summary>What the switch holds now.</summary>
    public SwitchCounts Read()
    {
        lock (_lock)
        {
            return new SwitchCounts(_flows.Count, _conversationFlows, _drops.Count, _meters.Count, _flowMods, _packetOuts, _errors, _unsupportedDeletes, _statsWhileHolding);
        }
    }

    /// <summary>Whether the switch holds a drop flow (no instructions) of a conversation cookie in table <paramref name="table"/>.</summary>
    public bool HoldsDropFlow(byte table)
    {
        lock (_lock)
        {
            return _drops.Any(k => k.Table == table);
        }
    }

    /// <summary>Sends one unbuffered PACKET_IN of table <paramref name="table"/> (a table miss sent to the controller).</summary>
    public Task SendPacketInAsync(byte table, uint inPort, ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            var packetIn = new PacketIn(OfpConstants.NoBuffer, (ushort)frame.Length, PacketInReason.NoMatch, table, 0, new OfpMatch([Oxm.InPort(inPort)]), frame) { Xid = _xid++ };
            _out.Append(packetIn);
        }

        return FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the controller.
        }

        _socket.Dispose();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _sendGate.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        int filled = 0;
        while (true)
        {
            int received;
            try
            {
                received = await _socket.ReceiveAsync(_receive.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (received == 0)
            {
                return;
            }

            filled += received;
            int consumed = 0;
            lock (_lock)
            {
                while (filled - consumed >= OfpConstants.HeaderSize)
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(_receive.AsSpan(consumed + 2));
                    if (length < OfpConstants.HeaderSize)
                    {
                        throw new InvalidDataException($"switch {Index}: the controller sent ofp_header.length {length}");
                    }

                    if (filled - consumed < length)
                    {
                        break;
                    }

                    Handle(_receive.AsSpan(consumed, length));
                    consumed += length;
                }
            }

            if (consumed > 0)
            {
                _receive.AsSpan(consumed, filled - consumed).CopyTo(_receive);
                filled -= consumed;
            }

            await FlushAsync().ConfigureAwait(false);
        }
    }

    private void Handle(ReadOnlySpan<byte> frame)
    {
        var type = (OfpType)frame[1];
        uint xid = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        switch (type)
        {
            case OfpType.FlowMod when frame.Length >= FlowMod.Size:
                _flowMods++;
                ApplyFlowMod(frame);
                break;
            case OfpType.MeterMod when frame.Length >= 16:
                ApplyMeterMod(frame, xid);
                break;
            case OfpType.PacketOut when frame.Length >= PacketOut.Size:
                _packetOuts++;
                int dataOffset = PacketOut.Size + BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
                if (dataOffset <= frame.Length && FirstPackets.TryReadToken(frame[dataOffset..], out uint token))
                {
                    _answered(token);
                }

                break;
            case OfpType.EchoRequest:
                _out.AppendCopy(frame, OfpType.EchoReply);
                break;
            case OfpType.BarrierRequest:
                _out.AppendCopy(frame[..OfpConstants.HeaderSize], OfpType.BarrierReply);
                break;
            case OfpType.FeaturesRequest:
                _out.Append(new FeaturesReply(DatapathId, 0, 254, 0, OfpCapabilities.FlowStats | OfpCapabilities.TableStats | OfpCapabilities.PortStats, 0) { Xid = xid });
                _ready.TrySetResult();
                break;
            case OfpType.GetConfigRequest:
                _out.Append(new GetConfigReply(ConfigFlags.FragNormal, OfpControllerMaxLen.NoBuffer) { Xid = xid });
                break;
            case OfpType.MultipartRequest when frame.Length >= MultipartRequest.HeaderSize:
                AnswerMultipart(frame, xid);
                break;
            case OfpType.RoleRequest when frame.Length >= 24:
                _out.AppendCopy(frame[..24], OfpType.RoleReply);
                break;
            case OfpType.GetAsyncRequest:
                _out.AppendZeros(OfpType.GetAsyncReply, xid, 32);
                break;
            case OfpType.Experimenter:
                _out.Append(new ErrorMsg(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadExperimenter, frame[..Math.Min(frame.Length, ErrorDataLength)].ToArray()) { Xid = xid });
                break;
            case OfpType.Error:
                _errors++;
                break;
            default:
                // HELLO, SET_CONFIG, SET_ASYNC, GROUP/PORT/TABLE_MOD: nothing to answer.
                break;
        }
    }

    private void ApplyFlowMod(ReadOnlySpan<byte> frame)
    {
        ulong cookie = BinaryPrimitives.ReadUInt64BigEndian(frame[8..]);
        ulong cookieMask = BinaryPrimitives.ReadUInt64BigEndian(frame[16..]);
        byte table = frame[24];
        var command = (FlowModCommand)frame[25];
        ushort priority = BinaryPrimitives.ReadUInt16BigEndian(frame[30..]);
        int matchLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(FlowModMatchOffset + 2)..]);
        int paddedMatch = (matchLength + 7) & ~7;
        if (FlowModMatchOffset + paddedMatch > frame.Length || matchLength < 4)
        {
            throw new InvalidDataException($"switch {Index}: FLOW_MOD match length {matchLength} in a {frame.Length}-byte message");
        }

        ReadOnlySpan<byte> match = frame.Slice(FlowModMatchOffset, matchLength);
        var key = new FlowKey(table, priority, Fnv1a(match));
        switch (command)
        {
            case FlowModCommand.Add:
                Remove(key);
                _flows[key] = cookie;
                if (!_byCookie.TryGetValue(cookie, out List<FlowKey>? keys))
                {
                    _byCookie[cookie] = keys = [];
                }

                keys.Add(key);
                if (Cookies.KindOf(cookie) == FlowKind.Conversation)
                {
                    _conversationFlows++;
                    if (frame.Length == FlowModMatchOffset + paddedMatch)
                    {
                        _drops.Add(key);
                    }
                }

                break;
            case FlowModCommand.DeleteStrict:
                if (_flows.TryGetValue(key, out ulong installed) && (installed & cookieMask) == (cookie & cookieMask))
                {
                    Remove(key);
                }

                break;
            case FlowModCommand.Delete when matchLength > 4:
                _unsupportedDeletes++;
                break;
            case FlowModCommand.Delete when cookieMask == ulong.MaxValue:
                if (_byCookie.TryGetValue(cookie, out List<FlowKey>? selected))
                {
                    foreach (FlowKey flow in selected.Where(k => table == OfpTableId.All || k.Table == table).ToArray())
                    {
                        Remove(flow);
                    }
                }

                break;
            case FlowModCommand.Delete:
                foreach (FlowKey flow in _flows.Where(f => (f.Value & cookieMask) == (cookie & cookieMask) && (table == OfpTableId.All || f.Key.Table == table)).Select(f => f.Key).ToArray())
                {
                    Remove(flow);
                }

                break;
            default:
                // MODIFY changes instructions only: the counts stay.
                break;
        }
    }

    private void Remove(FlowKey key)
    {
        if (!_flows.Remove(key, out ulong cookie))
        {
            return;
        }

        if (_byCookie.TryGetValue(cookie, out List<FlowKey>? keys))
        {
            keys.Remove(key);
            if (keys.Count == 0)
            {
                _byCookie.Remove(cookie);
            }
        }

        if (Cookies.KindOf(cookie) == FlowKind.Conversation)
        {
            _conversationFlows--;
        }

        _drops.Remove(key);
    }

    // ofp_meter_mod (7.3.4.5): command @8, flags @10, meter_id @12. ADD of an existing meter is METER_EXISTS, as on OVS.
    private void ApplyMeterMod(ReadOnlySpan<byte> frame, uint xid)
    {
        var command = (MeterModCommand)BinaryPrimitives.ReadUInt16BigEndian(frame[8..]);
        uint meter = BinaryPrimitives.ReadUInt32BigEndian(frame[12..]);
        switch (command)
        {
            case MeterModCommand.Add when !_meters.Add(meter):
                _out.Append(new ErrorMsg(OfpErrorType.MeterModFailed, 1, frame[..Math.Min(frame.Length, ErrorDataLength)].ToArray()) { Xid = xid });
                break;
            case MeterModCommand.Delete when meter == OfpMeterId.All:
                _meters.Clear();
                break;
            case MeterModCommand.Delete:
                _meters.Remove(meter);
                break;
            default:
                break;
        }
    }

    private void AnswerMultipart(ReadOnlySpan<byte> frame, uint xid)
    {
        var multipart = (MultipartType)BinaryPrimitives.ReadUInt16BigEndian(frame[8..]);
        if (multipart == MultipartType.Desc)
        {
            _out.Append(new DescReply("Patchbay", "emulated switch", "Patchbay.Scale", $"{Index}", $"scale switch {Index}") { Xid = xid });
            return;
        }

        // Switches connect empty and are configured once, so the stats the controller reads are empty lists;
        // a read while entries are held would be answered wrongly, and is counted so the report says so.
        if ((multipart == MultipartType.Flow && _flows.Count > 0) || (multipart == MultipartType.MeterConfig && _meters.Count > 0))
        {
            _statsWhileHolding++;
        }

        Span<byte> reply = _out.Reserve(MultipartReply.HeaderSize);
        reply.Clear();
        reply[0] = OfpConstants.Version13;
        reply[1] = (byte)OfpType.MultipartReply;
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], MultipartReply.HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(reply[4..], xid);
        BinaryPrimitives.WriteUInt16BigEndian(reply[8..], (ushort)multipart);
    }

    // FNV-1a, 64 bits: the match's bytes as the controller encoded them (it encodes one flow's match the same
    // way every time), so equal matches share a key; 64 bits make a collision among a switch's flows negligible.
    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xcbf2_9ce4_8422_2325UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 0x0000_0100_0000_01b3UL;
        }

        return hash;
    }

    private async Task FlushAsync()
    {
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            byte[] pending;
            lock (_lock)
            {
                if (_out.Length == 0)
                {
                    return;
                }

                pending = _out.Memory.ToArray();
                _out.Clear();
            }

            int sent = 0;
            while (sent < pending.Length)
            {
                sent += await _socket.SendAsync(pending.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The controller went away; the receive loop sees it too.
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private readonly record struct FlowKey(byte Table, ushort Priority, ulong MatchHash);

    /// <summary>A growable output buffer, appended to under the switch's lock.</summary>
    private sealed class OutputBuffer
    {
        private byte[] _bytes = new byte[4 * 1024];

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

        public Span<byte> Reserve(int count)
        {
            if (Length + count > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
            }

            Span<byte> span = _bytes.AsSpan(Length, count);
            Length += count;
            return span;
        }

        public void Append(OfpMessage message) => message.WriteTo(Reserve(message.Length));

        public void AppendCopy(ReadOnlySpan<byte> frame, OfpType type)
        {
            Span<byte> copy = Reserve(frame.Length);
            frame.CopyTo(copy);
            copy[1] = (byte)type;
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)frame.Length);
        }

        public void AppendZeros(OfpType type, uint xid, int length)
        {
            Span<byte> message = Reserve(length);
            message.Clear();
            message[0] = OfpConstants.Version13;
            message[1] = (byte)type;
            BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)length);
            BinaryPrimitives.WriteUInt32BigEndian(message[4..], xid);
        }

        public void Clear() => Length = 0;
    }
}
