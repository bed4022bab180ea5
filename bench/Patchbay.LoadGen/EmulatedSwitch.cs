// One emulated OpenFlow 1.3 switch on one TCP socket. It answers the controller as a switch would (HELLO,
// FEATURES with its own datapath id, ECHO, BARRIER, GET_CONFIG, ROLE, GET_ASYNC, multipart requests with
// empty lists or a DESC) and keeps up to `window` PACKET_INs outstanding. A PACKET_IN is answered when a
// FLOW_MOD or PACKET_OUT names it: by buffer_id (the token is the buffer id) or, for an unbuffered PACKET_OUT,
// by the token inside the frame it carries. Frames are read from one buffer and answers are batched into one
// send per read, so the generator allocates nothing per packet.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.LoadGen;

/// <summary>Counters of one switch at one moment; the latency histogram is the one recorded since the last reset.</summary>
public sealed record SwitchSnapshot(long Sent, long Answered, long Lost, long Unmatched, long Errors, LatencyHistogram Latency);

public sealed class EmulatedSwitch : IAsyncDisposable
{
    private const int SlotBits = 16;
    private const int SlotMask = (1 << SlotBits) - 1;
    private const int ErrorDataLength = 64;

    private readonly Socket _socket;
    private readonly IConversationSource _conversations;
    private readonly PacketInWriter _writer;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly SemaphoreSlim _tickGate = new(1, 1);
    private readonly byte[] _receive = new byte[4 * OfpConstants.MaxMessageLength];
    private readonly OutputBuffer _readerOut = new();
    private readonly OutputBuffer _tickOut = new();
    private readonly uint[] _tokens = new uint[1 << SlotBits];
    private readonly long[] _sentAt = new long[1 << SlotBits];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private LatencyHistogram _latency = new();
    private Task _receiving = Task.CompletedTask;
    private uint _nextToken = 1;
    private uint _oldest = 1;
    private int _inFlight;
    private int _window;
    private long _limit;
    private bool _running;
    private bool _noBuffer;
    private long _sent;
    private long _answered;
    private long _lost;
    private long _unmatched;
    private long _errors;

    private EmulatedSwitch(Socket socket, int index, ulong datapathId, IConversationSource conversations, PacketInWriter writer)
    {
        _socket = socket;
        Index = index;
        DatapathId = datapathId;
        _conversations = conversations;
        _writer = writer;
    }

    public int Index { get; }

    public ulong DatapathId { get; }

    /// <summary>Completes once the controller has asked for (and got) the switch's features.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the connection ends; faults if the controller broke the protocol.</summary>
    public Task Receiving => _receiving;

    /// <summary>Whether the controller asked for unbuffered PACKET_INs (SET_CONFIG miss_send_len = OFPCML_NO_BUFFER).</summary>
    public bool Unbuffered
    {
        get
        {
            lock (_lock)
            {
                return _noBuffer;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Connects to the controller, says HELLO and starts answering it.</summary>
    public static async Task<EmulatedSwitch> ConnectAsync(IPEndPoint controller, int index, ulong datapathId, IConversationSource conversations, PacketInWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        if (!IPAddress.IsLoopback(controller.Address))
        {
            throw new ArgumentException($"the load generator only talks to loopback, not {controller.Address}", nameof(controller));
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

        var emulated = new EmulatedSwitch(socket, index, datapathId, conversations, writer);
        emulated._readerOut.Append(new Hello([HelloElement.VersionBitmap(OfpConstants.Version13)]) { Xid = 1 });
        await emulated.FlushAsync(emulated._readerOut).ConfigureAwait(false);
        emulated._receiving = emulated.ReceiveLoopAsync(emulated._stop.Token);
        return emulated;
    }

    /// <summary>Starts (or changes) the load: up to <paramref name="window"/> outstanding, at most <paramref name="limit"/> PACKET_INs in all.</summary>
    public Task StartAsync(int window, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, 1 << (SlotBits - 2));
        lock (_lock)
        {
            _window = window;
            _limit = limit;
            _running = true;
        }

        return TickAsync(Stopwatch.GetTimestamp(), long.MaxValue);
    }

    /// <summary>Sends no new PACKET_INs; answers to outstanding ones are still counted.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _running = false;
        }
    }

    /// <summary>Counts PACKET_INs older than <paramref name="timeoutTicks"/> as lost and refills the window.</summary>
    public async Task TickAsync(long now, long timeoutTicks)
    {
        await _tickGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Reclaim(now, timeoutTicks);
            await FlushAsync(_tickOut).ConfigureAwait(false);
        }
        finally
        {
            _tickGate.Release();
        }
    }

    private void Reclaim(long now, long timeoutTicks)
    {
        lock (_lock)
        {
            while (_oldest != _nextToken)
            {
                int slot = (int)(_oldest & SlotMask);
                if (_tokens[slot] == _oldest)
                {
                    if (now - _sentAt[slot] <= timeoutTicks)
                    {
                        break;
                    }

                    _tokens[slot] = 0;
                    _inFlight--;
                    _lost++;
                }

                _oldest++;
            }

            Refill(_tickOut, now);
        }
    }

    /// <summary>The counters now; with <paramref name="resetLatency"/> the latency histogram starts over.</summary>
    public SwitchSnapshot Read(bool resetLatency)
    {
        lock (_lock)
        {
            LatencyHistogram latency = _latency;
            if (resetLatency)
            {
                _latency = new LatencyHistogram();
            }
            else
            {
                latency = new LatencyHistogram();
                latency.Add(_latency);
            }

            return new SwitchSnapshot(_sent, _answered, _lost, _unmatched, _errors, latency);
        }
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
        _tickGate.Dispose();
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
                        throw new InvalidDataException($"switch {Index}: the controller sent ofp_header.length {length}");
                    }

                    if (filled - consumed < length)
                    {
                        break;
                    }

                    Handle(_receive.AsSpan(consumed, length), now);
                    consumed += length;
                }

                Refill(_readerOut, now);
            }

            if (consumed > 0)
            {
                _receive.AsSpan(consumed, filled - consumed).CopyTo(_receive);
                filled -= consumed;
            }

            await FlushAsync(_readerOut).ConfigureAwait(false);
        }
    }

    private void Handle(ReadOnlySpan<byte> frame, long now)
    {
        var type = (OfpType)frame[1];
        uint xid = BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        switch (type)
        {
            case OfpType.PacketOut when frame.Length >= PacketOut.Size:
                uint bufferId = BinaryPrimitives.ReadUInt32BigEndian(frame[8..]);
                int dataOffset = PacketOut.Size + BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
                if (bufferId != OfpConstants.NoBuffer)
                {
                    Answer(bufferId, now);
                }
                else if (dataOffset <= frame.Length && PacketInWriter.TryReadToken(frame[dataOffset..], out uint token))
                {
                    Answer(token, now);
                }
                else
                {
                    _unmatched++;
                }

                break;
            case OfpType.FlowMod when frame.Length >= FlowMod.Size:
                // buffer_id at offset 32: after cookie, cookie_mask, table_id, command and the timeouts and priority.
                uint flowBuffer = BinaryPrimitives.ReadUInt32BigEndian(frame[32..]);
                if (flowBuffer != OfpConstants.NoBuffer)
                {
                    Answer(flowBuffer, now);
                }

                break;
            case OfpType.EchoRequest:
                _readerOut.AppendCopy(frame, OfpType.EchoReply);
                break;
            case OfpType.BarrierRequest:
                _readerOut.AppendCopy(frame[..OfpConstants.HeaderSize], OfpType.BarrierReply);
                break;
            case OfpType.FeaturesRequest:
                _readerOut.Append(new FeaturesReply(DatapathId, 256, 254, 0, OfpCapabilities.FlowStats | OfpCapabilities.TableStats | OfpCapabilities.PortStats, 0) { Xid = xid });
                _ready.TrySetResult();
                break;
            case OfpType.SetConfig when frame.Length >= SetConfig.Size:
                _noBuffer = BinaryPrimitives.ReadUInt16BigEndian(frame[10..]) == OfpControllerMaxLen.NoBuffer;
                break;
            case OfpType.GetConfigRequest:
                _readerOut.Append(new GetConfigReply(ConfigFlags.FragNormal, _noBuffer ? OfpControllerMaxLen.NoBuffer : (ushort)128) { Xid = xid });
                break;
            case OfpType.MultipartRequest when frame.Length >= MultipartRequest.HeaderSize:
                AnswerMultipart(frame, xid);
                break;
            case OfpType.RoleRequest when frame.Length >= 24:
                // Same body back: a switch that accepts the role reports it with the generation id it was given.
                _readerOut.AppendCopy(frame[..24], OfpType.RoleReply);
                break;
            case OfpType.GetAsyncRequest:
                _readerOut.AppendZeros(OfpType.GetAsyncReply, xid, 32);
                break;
            case OfpType.QueueGetConfigRequest when frame.Length >= 16:
                _readerOut.AppendCopy(frame[..16], OfpType.QueueGetConfigReply);
                break;
            case OfpType.Experimenter:
                _readerOut.Append(new ErrorMsg(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadExperimenter, frame[..Math.Min(frame.Length, ErrorDataLength)].ToArray()) { Xid = xid });
                break;
            case OfpType.Error:
                _errors++;
                break;
            default:
                // HELLO, SET_ASYNC, GROUP/METER/PORT/TABLE_MOD: a switch without tables has nothing to say.
                break;
        }
    }

    private void AnswerMultipart(ReadOnlySpan<byte> frame, uint xid)
    {
        var multipart = (MultipartType)BinaryPrimitives.ReadUInt16BigEndian(frame[8..]);
        if (multipart == MultipartType.Desc)
        {
            _readerOut.Append(new DescReply("Patchbay", "emulated switch", "Patchbay.LoadGen", $"{Index}", $"loadgen switch {Index}") { Xid = xid });
            return;
        }

        // Every list-shaped reply (flows, ports, meters, groups, queues) with no entries is its 16-byte header.
        Span<byte> reply = _readerOut.Reserve(MultipartReply.HeaderSize);
        reply.Clear();
        reply[0] = OfpConstants.Version13;
        reply[1] = (byte)OfpType.MultipartReply;
        BinaryPrimitives.WriteUInt16BigEndian(reply[2..], MultipartReply.HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(reply[4..], xid);
        BinaryPrimitives.WriteUInt16BigEndian(reply[8..], (ushort)multipart);
    }

    private void Answer(uint token, long now)
    {
        int slot = (int)(token & SlotMask);
        if (token == 0 || _tokens[slot] != token)
        {
            _unmatched++;
            return;
        }

        _tokens[slot] = 0;
        _inFlight--;
        _answered++;
        _latency.Record((long)((now - _sentAt[slot]) * (1_000_000_000.0 / Stopwatch.Frequency)));
    }

    private void Refill(OutputBuffer output, long now)
    {
        while (_running && _inFlight < _window && _sent < _limit)
        {
            // Tokens double as buffer ids, so OFP_NO_BUFFER is skipped (after 4 billion PACKET_INs of one switch).
            uint token = _nextToken++;
            if (_nextToken == OfpConstants.NoBuffer)
            {
                _nextToken = 1;
            }

            int slot = (int)(token & SlotMask);
            if (_tokens[slot] != 0)
            {
                // Outstanding for a whole turn of the slot table: lost, whatever the timeout says.
                _inFlight--;
                _lost++;
            }

            _tokens[slot] = token;
            _sentAt[slot] = now;
            Conversation conversation = _conversations.Next(_sent++);
            Span<byte> destination = output.Reserve(_writer.Length);
            _writer.Write(destination, token, _noBuffer ? OfpConstants.NoBuffer : token, conversation, token);
            _inFlight++;
        }
    }

    private async Task FlushAsync(OutputBuffer output)
    {
        if (output.Length == 0)
        {
            return;
        }

        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            int sent = 0;
            while (sent < output.Length)
            {
                sent += await _socket.SendAsync(output.Memory[sent..], SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The controller went away; the receive loop sees it too and ends the switch.
        }
        finally
        {
            output.Clear();
            _sendGate.Release();
        }
    }

    /// <summary>A growable output buffer: messages are appended under the switch's lock and sent in one write.</summary>
    private sealed class OutputBuffer
    {
        private byte[] _bytes = new byte[16 * 1024];

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

        /// <summary>The frame as it is, but of <paramref name="type"/>: replies that echo their request's body.</summary>
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
