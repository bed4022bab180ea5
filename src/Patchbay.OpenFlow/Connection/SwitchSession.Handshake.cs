// The handshake (spec 1.3.5, 6.3.1 and 7.3.1): our HELLO is queued first by RunAsync, the read loop
// refuses a peer HELLO without 1.3, and this part learns the datapath id from FEATURES_REPLY; then it
// hands the session to the handler, which sees messages in order.
using System.Text;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.OpenFlow.Connection;

public sealed partial class SwitchSession
{
    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            // The read loop completes this only for a HELLO that offers 1.3 and refuses any other.
            await _peerHello.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            FeaturesReply features = await RequestAsync<FeaturesReply>(new FeaturesRequest(), _options.HandshakeTimeout, timeout.Token).ConfigureAwait(false);
            _features = features;
            lock (_stateLock)
            {
                // The close may have won the race while the reply was on its way; Closed is final.
                if (_state != SwitchSessionState.Handshaking)
                {
                    return;
                }

                _state = SwitchSessionState.Connected;
                _keepalive = KeepaliveLoopAsync(cancellationToken);
                _dispatch = DispatchLoopAsync(cancellationToken);
            }

            OpenFlowLog.Connected(_logger, RemoteAddress, features.DatapathId, features.NTables);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested && _closeInfo is null)
        {
            RequestClose(new SwitchSessionClosed(
                SessionCloseReason.HandshakeTimeout,
                $"{(_peerHello.Task.IsCompleted ? "FEATURES_REPLY" : "HELLO")} did not arrive within {_options.HandshakeTimeout}",
                e));
        }
        catch (OpenFlowErrorException e)
        {
            RequestClose(new SwitchSessionClosed(SessionCloseReason.ProtocolError, $"the switch refused FEATURES_REQUEST: {e.Message}", e));
        }
        catch (Exception e) when (e is OperationCanceledException or SwitchSessionClosedException)
        {
            // Closed while shaking hands; RunAsync already knows why.
        }
    }

    private void RefuseVersion(Hello peer)
    {
        OpenFlowLog.IncompatibleVersion(_logger, RemoteAddress, peer.HeaderVersion);

        // Spec 1.3.5, 6.3.1: HELLO_FAILED/INCOMPATIBLE, with an ASCII explanation in data.
        string text = $"Patchbay speaks OpenFlow 1.3 (version 0x04) only; the switch offered version 0x{peer.HeaderVersion:x2}";
        QueueError(new ErrorMsg(OfpErrorType.HelloFailed, (ushort)HelloFailedCode.Incompatible, Encoding.ASCII.GetBytes(text)) { Xid = peer.Xid });
        RequestClose(new SwitchSessionClosed(SessionCloseReason.IncompatibleVersion, text));
    }

    private async Task DispatchLoopAsync(CancellationToken cancellationToken)
    {
        // Yield first so the handshake that started this loop is not held up by the handler.
        await Task.Yield();
        s_dispatching.Value = this;
        try
        {
            await _handler.OnConnectedAsync(this, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OpenFlowLog.HandlerCallbackFailed(_logger, RemoteAddress, nameof(IOpenFlowHandler.OnConnectedAsync), e);
        }

        try
        {
            while (await _inbox.ReadAsync(cancellationToken).ConfigureAwait(false) is OfpMessage message)
            {
                try
                {
                    await _handler.OnMessageAsync(this, message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    // One message the handler chokes on must not stop the messages after it.
                    OpenFlowLog.HandlerFailed(_logger, RemoteAddress, message.Type, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The close outlasted the grace period; the remaining messages are dropped with the session.
        }
    }
}
