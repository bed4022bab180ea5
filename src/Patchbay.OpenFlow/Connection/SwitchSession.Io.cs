// The session's two I/O loops. Reading: PipeReader -> OfpMessageReader.TryRead frames -> dispatch, with
// AdvanceTo in finally (a PACKET_IN flood never makes it wait: SwitchInbox). Writing: one drain loop from the bounded send queue into the PipeWriter, whose
// flush waits for the socket, so a switch that stops reading stops the senders instead of growing memory.
using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    /// <summary>Bytes of an offending message that an OFPT_ERROR echoes back (spec 1.3.5, 7.4.4: at least 64).</summary>
    private const int ErrorDataLength = 64;

    // Messages decoded from one read; reused so a busy connection does not allocate a list per read.
    private readonly List<OfpMessage> _batch = [];
    private long _lastReceived;

    // Bytes written since the last flush; write loop only.
    private int _unflushed;

    // PACKET_INs the inbox displaced, and when the last (rate-limited) warning about them went out; read loop only.
    private static readonly TimeSpan DiscardWarningInterval = TimeSpan.FromSeconds(10);
    private long _packetInsDiscarded;
    private long _discardWarned;
    private long _discardedAtWarning;

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    return;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                SequencePosition consumed = buffer.Start;
                ProtocolFault? fault = null;
                long leftover = 0;
                if (!buffer.IsEmpty)
                {
                    Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
                }

                try
                {
                    consumed = ParseFrames(buffer, _batch, out fault);
                    leftover = buffer.Slice(consumed).Length;
                }
                finally
                {
                    // Everything parsed is consumed; the rest was examined, so the next read waits for more bytes.
                    _input.AdvanceTo(consumed, buffer.End);
                }

                foreach (OfpMessage message in _batch)
                {
                    if (!await HandleAsync(message, cancellationToken).ConfigureAwait(false))
                    {
                        _batch.Clear();
                        return;
                    }
                }

                _batch.Clear();
                if (fault is not null)
                {
                    RejectMalformed(fault);
                    return;
                }

                if (result.IsCompleted)
                {
                    if (leftover > 0)
                    {
                        OpenFlowLog.TruncatedAtClose(_logger, RemoteAddress, leftover);
                    }

                    RequestClose(new SwitchSessionClosed(SessionCloseReason.PeerClosed, "the switch closed the connection"));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session is closing; RunAsync already knows why.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Once closing, failures are the teardown's echo (disposed stream, closed queues); before, the cause.
            RequestClose(new SwitchSessionClosed(SessionCloseReason.TransportError, $"reading failed: {e.Message}", e));
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        ChannelReader<Outgoing> queue = _outbox.Reader;
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await DrainAsync(queue, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                // Run dry: a barrier joined meanwhile goes out now. Its joiners queued their messages before they
                // joined, so draining once more after taking it writes all of them ahead of it. That drain may take
                // the wake-up of a barrier joined after this one, so look again until none is joined.
                while (TakeJoinedBarrier() is BarrierRequest barrier)
                {
                    if (!await DrainAsync(queue, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    Write(barrier);
                }

                if (_unflushed > 0)
                {
                    _unflushed = 0;
                    if ((await _output.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session is closing; RunAsync already knows why.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RequestClose(new SwitchSessionClosed(SessionCloseReason.TransportError, $"writing failed: {e.Message}", e));
        }
    }

    // Writes what is queued, flushing every FlushThreshold bytes; false once the peer stopped reading for good.
    private async ValueTask<bool> DrainAsync(ChannelReader<Outgoing> queue, CancellationToken cancellationToken)
    {
        while (queue.TryRead(out Outgoing queued))
        {
            Dequeued();
            if (ReferenceEquals(queued.Message, s_barrierDue))
            {
                continue;
            }

            _unflushed += queued.Message.WriteTo(_output, queued.Length);
            if (_unflushed >= _options.FlushThreshold)
            {
                _unflushed = 0;
                if ((await _output.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void Write(OfpMessage message) => _unflushed += message.WriteTo(_output);

    /// <summary>Decodes every whole frame in <paramref name="buffer"/>; stops at the first malformed one.</summary>
    private static SequencePosition ParseFrames(ReadOnlySequence<byte> buffer, List<OfpMessage> into, out ProtocolFault? fault)
    {
        fault = null;
        var reader = new SequenceReader<byte>(buffer);
        Span<byte> header = stackalloc byte[OfpConstants.HeaderSize];
        try
        {
            while (true)
            {
                // Judge the version as soon as the header is in: a stream of garbage would otherwise be
                // believed about its length and waited on for up to 64 KiB before the decoder saw it.
                if (reader.TryCopyTo(header))
                {
                    OfpHeader peek = OfpHeader.Read(header);
                    if (peek.Version != OfpConstants.Version13 && peek.Type != OfpType.Hello)
                    {
                        OpenFlowProtocolException.Throw(ProtocolErrorReason.BadVersion, $"version 0x{peek.Version:x2} in a message of type {(byte)peek.Type}; only 0x04 is spoken");
                    }
                }

                if (!OfpMessageReader.TryRead(ref reader, out OfpMessage? message))
                {
                    break;
                }

                into.Add(message!);
            }
        }
        catch (OpenFlowProtocolException e)
        {
            // TryRead consumed nothing of the bad frame, so the reader sits at its first byte.
            ReadOnlySequence<byte> bad = buffer.Slice(reader.Position);
            fault = new ProtocolFault(e, bad.Slice(0, Math.Min(ErrorDataLength, bad.Length)).ToArray());
        }

        return reader.Position;
    }

    /// <summary>Handles one message from the switch; false once the session must stop reading.</summary>
    private async ValueTask<bool> HandleAsync(OfpMessage message, CancellationToken cancellationToken)
    {
        if (message is Hello hello)
        {
            // Refused here, before the next frame is read: what a peer of another version sends after its
            // HELLO would otherwise draw a BAD_VERSION instead of the HELLO_FAILED the spec asks for.
            if (!_peerHello.Task.IsCompleted && !hello.Offers(OfpConstants.Version13))
            {
                RefuseVersion(hello);
                return false;
            }

            if (!_peerHello.TrySetResult(hello))
            {
                OpenFlowLog.DuplicateHello(_logger, RemoteAddress);
            }

            return true;
        }

        if (!_peerHello.Task.IsCompletedSuccessfully)
        {
            // Spec 1.3.5, 6.3.1: HELLO comes first; without it no version is agreed to read anything else by.
            string text = $"expected OFPT_HELLO first, got {message.Type}";
            QueueError(new ErrorMsg(OfpErrorType.HelloFailed, (ushort)HelloFailedCode.Incompatible, Encoding.ASCII.GetBytes(text)) { Xid = message.Xid });
            RequestClose(new SwitchSessionClosed(SessionCloseReason.ProtocolError, text));
            return false;
        }

        if (message is EchoRequest echo)
        {
            var reply = new EchoReply(echo.Data) { Xid = echo.Xid };
            await QueueAsync(new Outgoing(reply, reply.Length), cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Echo replies answer the keepalive, which only needed the traffic.
        if (TryCompleteRequest(message) || message is EchoReply)
        {
            return true;
        }

        if (message is PacketIn packetIn)
        {
            // A flood must not stop the reading: the oldest queued PACKET_IN gives way (SwitchInbox).
            if (_inbox.AddPacketIn(packetIn) is PacketIn displaced)
            {
                DiscardPacketIn(displaced);
            }

            return true;
        }

        await _inbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void DiscardPacketIn(PacketIn packetIn)
    {
        long discarded = Interlocked.Increment(ref _packetInsDiscarded);
        long now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_discardWarned, now) >= DiscardWarningInterval || _discardWarned == 0)
        {
            OpenFlowLog.PacketInsDiscarded(_logger, RemoteAddress, discarded - _discardedAtWarning, _options.HandlerQueueCapacity);
            _discardWarned = now;
            _discardedAtWarning = discarded;
        }

        try
        {
            _handler.OnPacketInDiscarded(this, packetIn);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OpenFlowLog.HandlerCallbackFailed(_logger, RemoteAddress, nameof(IOpenFlowHandler.OnPacketInDiscarded), e);
        }
    }

    /// <summary>Answers a malformed message with the OFPT_ERROR the spec names for it, then closes.</summary>
    private void RejectMalformed(ProtocolFault fault)
    {
        (OfpErrorType type, ushort code) = ErrorFor(fault.Exception.Reason);
        uint xid = fault.Head.Length >= OfpConstants.HeaderSize ? OfpHeader.Read(fault.Head).Xid : 0;
        OpenFlowLog.ProtocolError(_logger, RemoteAddress, type, code, fault.Exception);
        QueueError(new ErrorMsg(type, code, fault.Head) { Xid = xid });
        RequestClose(new SwitchSessionClosed(SessionCloseReason.ProtocolError, fault.Exception.Message, fault.Exception));
    }

    private void QueueError(ErrorMsg error)
    {
        // Best effort: with the queue full the peer is not reading, and the close tells it enough.
        TryQueue(error);
    }

    /// <summary>The error type and code of spec 1.3.5, 7.4.4 that matches a decoder's reason.</summary>
    private static (OfpErrorType Type, ushort Code) ErrorFor(ProtocolErrorReason reason) => reason switch
    {
        ProtocolErrorReason.BadVersion => (OfpErrorType.BadRequest, (ushort)BadRequestCode.BadVersion),
        ProtocolErrorReason.UnknownType => (OfpErrorType.BadRequest, (ushort)BadRequestCode.BadType),
        ProtocolErrorReason.BadMultipartBody => (OfpErrorType.BadRequest, (ushort)BadRequestCode.BadMultipart),
        // OFPBMC_BAD_LEN, OFPBAC_BAD_LEN, OFPBIC_BAD_LEN.
        ProtocolErrorReason.BadMatchLength or ProtocolErrorReason.BadOxmLength => (OfpErrorType.BadMatch, 1),
        ProtocolErrorReason.BadActionLength => (OfpErrorType.BadAction, 1),
        ProtocolErrorReason.BadInstructionLength => (OfpErrorType.BadInstruction, 7),
        _ => (OfpErrorType.BadRequest, (ushort)BadRequestCode.BadLength),
    };

    private sealed record ProtocolFault(OpenFlowProtocolException Exception, byte[] Head);
}
