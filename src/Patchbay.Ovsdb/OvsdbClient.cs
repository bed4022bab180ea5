// An RFC 7047 OVSDB client over one stream connection: one read loop frames and dispatches the server's JSON values,
// one write loop drains a channel of serialized messages, and replies are matched to requests by JSON-RPC id.
using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Patchbay.Ovsdb.JsonRpc;

namespace Patchbay.Ovsdb;

public sealed partial class OvsdbClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>();
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private long _lastId;
    private int _closing;
    private Exception? _closeReason;

    /// <summary>Runs the protocol over an already connected stream, which the client owns from now on.</summary>
    public OvsdbClient(Stream stream, ILogger<OvsdbClient>? logger = null)
    {
        _stream = stream;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public Task Completion => _closed.Task;

    public static async Task<OvsdbClient> ConnectAsync(OvsdbEndpoint endpoint, ILogger<OvsdbClient>? logger = null, CancellationToken cancellationToken = default)
    {
        Stream stream = await endpoint.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return new OvsdbClient(stream, logger);
    }

    /// <summary>Sends one JSON-RPC request and returns its "result"; a non-null "error" throws <see cref="OvsdbException"/>.</summary>
    public Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default) =>
        CallAsync(method, parameters, null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Close(null);
        await _stream.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        _stop.Dispose();
    }

    // onResult runs on the read loop before any later message is dispatched: monitors use it to take their initial
    // rows before the first update can arrive.
    internal async Task<JsonNode?> CallAsync(string method, JsonArray parameters, Action<JsonNode?>? onResult, CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref _lastId);
        var call = new PendingCall(method, onResult);
        _pending[id] = call;
        if (Volatile.Read(ref _closeReason) is not null)
        {
            _pending.TryRemove(id, out _);
            throw ClosedException();
        }

        Send(Serialize(new JsonRpcRequest(method, parameters, JsonValue.Create(id)), OvsdbJsonContext.Default.JsonRpcRequest));
        using CancellationTokenRegistration registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(id, out _))
            {
                call.Completion.TrySetCanceled(cancellationToken);
            }
        });
        return await call.Completion.Task.ConfigureAwait(false);
    }

    private static byte[] Serialize<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, OvsdbJsonText.WriterOptions))
        {
            JsonSerializer.Serialize(writer, message, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Send(byte[] message)
    {
        if (!_outgoing.Writer.TryWrite(message))
        {
            throw ClosedException();
        }
    }

    private OvsdbException ClosedException() =>
        new(OvsdbErrorKind.ConnectionClosed, "the OVSDB connection is closed", innerException: Volatile.Read(ref _closeReason) is OvsdbException { Kind: OvsdbErrorKind.ConnectionClosed } ? null : _closeReason);

    private async Task ReadLoopAsync()
    {
        PipeReader reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        Exception? failure = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (JsonFramer.TryReadObject(ref buffer, out ReadOnlySequence<byte> frame))
                    {
                        Dispatch(frame);
                    }

                    if (result.IsCompleted)
                    {
                        if (!JsonFramer.IsWhitespace(buffer))
                        {
                            failure = new OvsdbException(OvsdbErrorKind.Protocol, $"the connection closed inside a message ({buffer.Length} bytes unread)");
                        }

                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed, or the write loop failed and closed the connection.
        }
        catch (Exception ex) when (ex is OvsdbException or IOException or ObjectDisposedException)
        {
            failure = ex;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        if (failure is not null)
        {
            Log.ConnectionFailed(_logger, failure.Message, failure);
        }

        Close(failure);
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (byte[] message in _outgoing.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await _stream.WriteAsync(message, _stop.Token).ConfigureAwait(false);
                if (_outgoing.Reader.Count == 0)
                {
                    await _stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing: whatever is still queued has no one left to answer it.
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Log.ConnectionFailed(_logger, ex.Message, ex);
            Close(ex);
        }
    }

    private void Dispatch(ReadOnlySequence<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        JsonRpcIncoming message;
        try
        {
            message = JsonSerializer.Deserialize(ref reader, OvsdbJsonContext.Default.JsonRpcIncoming)
                ?? OvsdbException.ThrowProtocol<JsonRpcIncoming>("null message");
        }
        catch (JsonException ex)
        {
            OvsdbException.ThrowProtocol($"not a JSON-RPC message: {ex.Message}", ex);
            return;
        }

        if (message.Method is not null)
        {
            HandleServerRequest(message);
        }
        else
        {
            HandleResponse(message);
        }
    }

    private void HandleResponse(JsonRpcIncoming message)
    {
        if (message.Id is not JsonValue idValue || !idValue.TryGetValue(out long id) || !_pending.TryRemove(id, out PendingCall? call))
        {
            // A reply to a call the caller already cancelled, or to nothing we sent.
            Log.UnmatchedResponse(_logger, message.Id);
            return;
        }

        if (message.Error is not null)
        {
            call.Completion.TrySetException(RpcError(call.Method, message.Error));
            return;
        }

        try
        {
            call.OnResult?.Invoke(message.Result);
        }
        catch (Exception ex) when (ex is OvsdbException or InvalidCastException or KeyNotFoundException)
        {
            call.Completion.TrySetException(ex);
            return;
        }

        call.Completion.TrySetResult(message.Result);
    }

    private void HandleServerRequest(JsonRpcIncoming message)
    {
        switch (message.Method)
        {
            case "echo":
                // RFC 7047 section 4.1.11: the reply's result is the request's params, unchanged.
                Reply(new JsonRpcResponse(message.Params?.DeepClone() ?? new JsonArray(), null, message.Id?.DeepClone()));
                break;
            case "update" when message.Params is [var monitorId, var updates]:
                DispatchUpdate(monitorId, updates);
                break;
            case "update2" when message.Params is [var monitorId, var updates]:
                DispatchUpdate(monitorId, updates);
                break;
            default:
                Log.UnhandledServerMethod(_logger, message.Method!);
                if (message.Id is not null)
                {
                    Reply(new JsonRpcResponse(null, JsonValue.Create("unknown method"), message.Id.DeepClone()));
                }

                break;
        }
    }

    private void Reply(JsonRpcResponse response)
    {
        // A reply that cannot be queued belongs to a connection that is already closing.
        _outgoing.Writer.TryWrite(Serialize(response, OvsdbJsonContext.Default.JsonRpcResponse));
    }

    private static OvsdbException RpcError(string method, JsonNode error)
    {
        (string? text, string? details) = ErrorText(error);
        return new OvsdbException(OvsdbErrorKind.Rpc, $"OVSDB {method} failed: {text}{(details is null ? string.Empty : $" ({details})")}", text, details);
    }

    /// <summary>Reads {"error": e, "details": d} (RFC 7047 section 3.1); a bare string is taken as the error itself.</summary>
    internal static (string? Error, string? Details) ErrorText(JsonNode error) => error switch
    {
        JsonObject obj => (AsText(obj["error"]), obj["details"] is JsonNode d ? AsText(d) : null),
        _ => (AsText(error), null),
    };

    private static string? AsText(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();

    private void Close(Exception? reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _closeReason, reason ?? new OvsdbException(OvsdbErrorKind.ConnectionClosed, "the OVSDB connection is closed"));
        _outgoing.Writer.TryComplete();
        _stop.Cancel();

        // Closing the socket now, not at DisposeAsync, tells the server at once that this session is over.
        _stream.Dispose();
        foreach (long id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out PendingCall? call))
            {
                call.Completion.TrySetException(ClosedException());
            }
        }

        CloseMonitors(ClosedException());
        Log.ConnectionClosed(_logger);
        _closed.TrySetResult();
    }

    private sealed class PendingCall(string method, Action<JsonNode?>? onResult)
    {
        public string Method { get; } = method;

        public Action<JsonNode?>? OnResult { get; } = onResult;

        public TaskCompletionSource<JsonNode?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
