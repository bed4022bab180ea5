// One emulated OpenFlow 1.3 switch for the policy-change benchmark: it answers the controller as a switch
// would (HELLO, FEATURES, ECHO, BARRIER, GET_CONFIG, ROLE, GET_ASYNC, DESC and empty list-shaped multipart
// replies), keeps the conversation flows the controller installs by cookie, and stamps (Stopwatch ticks, read
// when the message is handled) every delete of conversation flows and every barrier, so the benchmark can
// tell when the last flow of a revoked conversation left the switch. First packets go out on demand as
// unbuffered PACKET_INs; a PACKET_OUT that carries the frame back answers its token.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Patchbay.Core.Planning;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.PolicyChange;

/// <summary>What a switch saw since <see cref="RevocationSwitch.Mark"/>.</summary>
/// <param name="Deletes">Delete flow-mods of conversation cookies.</param>
/// <param name="LastDelete">Stopwatch timestamp of the last of them; 0 when none.</param>
/// <param name="LastBarrier">Stopwatch timestamp of the last barrier request after that delete; 0 when none.</param>
/// <param name="ConversationFlows">Conversation flows the switch holds now.</param>
public sealed record SwitchWindow(int Deletes, long LastDelete, long LastBarrier, int ConversationFlows, long Errors);

public sealed class RevocationSwitch : IAsyncDisposable
{
    private const int ErrorDataLength = 64;

    private readonly Socket _socket;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly byte[] _receive = new byte[4 * OfpConstants.MaxMessageLength];
    private readonly OutputBuffer _out = new();
    private readonly Dictionary<ulong, int> _conversationFlows = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<uint> _answered;
    private Task _receiving = Task.CompletedTask;
    private int _flowCount;
    private int _deletes;
    private long _lastDelete;
    private long _lastBarrier;
    private long _errors;
    private uint _xid = 0x1000_0000;

    private RevocationSwitch(Socket socket, ulong datapathId, Action<uint> answered)
    {
        _socket = socket;
        DatapathId = datapathId;
        _answered = answered;
    }

    public ulong DatapathId { get; }

    /// <summary>Completes once the controller has asked for (and got) the switch's features.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Connects on loopback, says HELLO and starts answering.</summary>
    /// <param name="answered">Called with the token of each first packet a PACKET_OUT carried back.</param>
    public static async Task<RevocationSwitch> ConnectAsync(IPEndPoint controller, ulong datapathId, Action<uint> answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (!IPAddress.IsLoopback(controller.Address))
        {
            throw new ArgumentException($"the policy-change benchmark only talks to loopback, not {controller.Address}", nameof(controller));
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

        var emulated = new RevocationSwitch(socket, datapathId, answered);
        lock (emulated._lock)
        {
            emulated._out.Append(new Hello([HelloElement.VersionBitmap(OfpConstants.Version13)]) { Xid = 1 });
        }

        await emulated.FlushAsync().ConfigureAwait(false);
        emulated._receiving = emulated.ReceiveLoopAsync(emulated._stop.Token);
        return emulated;
    }

    /// <summary>Starts a new measurement window: the delete and barrier stamps start over.</summary>
    public void Mark()
    {
        lock (_lock)
        {
            _deletes = 0;
            _lastDelete = 0;
            _lastBarrier = 0;
        }
    }

    public SwitchWindow Read()
    {
        lock (_lock)
        {
            return new SwitchWindow(_deletes, _lastDelete, _lastBarrier, _flowCount, _errors);
        }
    }

    /// <summary>Sends one unbuffered PACKET_IN of <paramref name="table"/>: a table miss handed to the controller.</summary>
    public Task SendPacketInAsync(byte table, uint inPort, ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            _out.Append(new PacketIn(OfpConstants.NoBuffer, (ushort)frame.Length, PacketInReason.NoMatch, table, 0, new OfpMatch([Oxm.InPort(inPort)]), frame) { Xid = _xid++ });
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
            long now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                while (filled - consumed >= OfpConstants.HeaderSize)
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(_receive.AsSpan(consumed + 2));
                    if (length < OfpConstants.HeaderSize)
                    {
                        throw new InvalidDataException($"switch {DatapathId:x16}: the controller sent ofp_header.length {length}");
                    }

                    if (filled - consumed < length)
                    {
                        break;
                    }

                    Handle(_receive.AsSpan(consumed, length), now);
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

    private void Handle(ReadOnlySpan<byte> frame, long now)
    {
        var type = (OfpType)frame[1];
        uint xid = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        switch (type)
        {
            case OfpType.FlowMod when frame.Length >= FlowMod.Size:
                ApplyFlowMod(frame, now);
                break;
            case OfpType.PacketOut when frame.Length >= PacketOut.Size:
                int dataOffset = PacketOut.Size + BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
                if (dataOffset <= frame.Length && FirstPacket.TryReadToken(frame[dataOffset..], out uint token))
                {
                    _answered(token);
                }

                break;
            case OfpType.EchoRequest:
                _out.AppendCopy(frame, OfpType.EchoReply);
                break;
            case OfpType.BarrierRequest:
                if (_lastDelete != 0)
                {
                    _lastBarrier = now;
                }

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
                // HELLO, SET_CONFIG, SET_ASYNC, METER_MOD, GROUP/PORT/TABLE_MOD: nothing to answer or count.
                break;
        }
    }

    // ofp_flow_mod (spec 1.3.5, 7.3.4.1): cookie @8, cookie_mask @16, command @25. Only conversation flows are
    // kept, counted by cookie: the controller adds each conversation's flows once and deletes them by cookie.
    private void ApplyFlowMod(ReadOnlySpan<byte> frame, long now)
    {
        ulong cookie = BinaryPrimitives.ReadUInt64BigEndian(frame[8..]);
        if (Cookies.KindOf(cookie) != FlowKind.Conversation)
        {
            return;
        }

        switch ((FlowModCommand)frame[25])
        {
            case FlowModCommand.Add:
                _conversationFlows[cookie] = _conversationFlows.GetValueOrDefault(cookie) + 1;
                _flowCount++;
                break;
            case FlowModCommand.Delete or FlowModCommand.DeleteStrict:
                _deletes++;
                _lastDelete = now;
                if (_conversationFlows.Remove(cookie, out int removed))
                {
                    _flowCount -= removed;
                }

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
            _out.Append(new DescReply("Patchbay", "emulated switch", "Patchbay.PolicyChange", $"{DatapathId:x16}", "policy-change switch") { Xid = xid });
            return;
        }

        // The switch connects empty: every list the controller reads (flows, meters, ports) is empty.
        Span<byte> reply = _out.Reserve(MultipartReply.HeaderSize);
        reply.Clear();
        reply[0] = OfpConstants.Version13;
        reply[1] = (byte)OfpType.MultipartReply;
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], MultipartReply.HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(reply[4..], xid);
        BinaryPrimitives.WriteUInt16BigEndian(reply[8..], (ushort)multipart);
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
