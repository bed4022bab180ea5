// A byte-level fake OVSDB server on a unix socket. It never answers on its own: each test reads the client's requests
// (as exact text or parsed), and decides what bytes to send back and how to cut them into writes (one byte per write,
// a response split anywhere, two JSON values in one write), including server-initiated echo and update notifications.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Patchbay.Testing.Ovsdb;

public sealed class FakeOvsdbServer : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly string _directory;

    private FakeOvsdbServer(Socket listener, string directory, string socketPath)
    {
        _listener = listener;
        _directory = directory;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>The endpoint in ovs-vsctl syntax, for OvsdbEndpoint.Parse.</summary>
    public string Endpoint => "unix:" + SocketPath;

    public static FakeOvsdbServer Start()
    {
        string directory = Path.Combine(Path.GetTempPath(), "pb-fake-ovsdb-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        string socketPath = Path.Combine(directory, "db.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(8);
        return new FakeOvsdbServer(listener, directory, socketPath);
    }

    public async Task<FakeOvsdbConnection> AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        Socket socket = await _listener.AcceptAsync(timeout.Token);
        return new FakeOvsdbConnection(socket);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

public sealed class FakeOvsdbConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;

    internal FakeOvsdbConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>The pause between the writes of a split message, long enough for the client to read each piece alone.</summary>
    public TimeSpan PauseBetweenWrites { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The next JSON value the client sent, byte for byte (whitespace between values dropped).</summary>
    public async Task<string> ReadMessageTextAsync()
    {
        using var timeout = new CancellationTokenSource(FakeOvsdbServer.DefaultTimeout);
        while (true)
        {
            if (TryTakeValue(out string? text))
            {
                return text;
            }

            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_count), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"the client closed the connection ({_count} bytes unread)");
            }

            _count += read;
        }
    }

    /// <summary>Reads the next request and checks its method; returns the whole request object.</summary>
    public async Task<JsonObject> ReadRequestAsync(string expectedMethod)
    {
        JsonObject request = JsonNode.Parse(await ReadMessageTextAsync())!.AsObject();
        Assert.Equal(expectedMethod, request["method"]?.GetValue<string>());
        return request;
    }

    /// <summary>Reads a request of <paramref name="method"/> and answers it with <paramref name="resultJson"/> in one write.</summary>
    public async Task<JsonObject> ExpectAsync(string method, string resultJson)
    {
        JsonObject request = await ReadRequestAsync(method);
        await SendAsync(Response(request, resultJson));
        return request;
    }

    /// <summary>The text of a successful response to <paramref name="request"/>.</summary>
    public static string Response(JsonObject request, string resultJson) =>
        $"{{\"id\":{request["id"]!.ToJsonString()},\"result\":{resultJson},\"error\":null}}";

    /// <summary>The text of an RPC-level error response to <paramref name="request"/>.</summary>
    public static string ErrorResponse(JsonObject request, string errorJson) =>
        $"{{\"id\":{request["id"]!.ToJsonString()},\"result\":null,\"error\":{errorJson}}}";

    /// <summary>Sends the text in one write.</summary>
    public async Task SendAsync(string text) => await SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(FakeOvsdbServer.DefaultTimeout);
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Sends the text as writes of at most <paramref name="chunkSize"/> bytes, pausing between them.</summary>
    public async Task SendInChunksAsync(string text, int chunkSize)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await SendBytesAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
            await Task.Delay(PauseBetweenWrites);
        }
    }

    public Task SendOneBytePerWriteAsync(string text) => SendInChunksAsync(text, 1);

    /// <summary>Sends a server-initiated echo request (RFC 7047 section 4.1.11).</summary>
    public Task SendEchoRequestAsync(string idJson, string paramsJson = "[]") =>
        SendAsync($"{{\"method\":\"echo\",\"params\":{paramsJson},\"id\":{idJson}}}");

    /// <summary>Sends an update notification ("update", "update2" or "update3") for the monitor with <paramref name="monitorIdJson"/>.</summary>
    public Task SendUpdateAsync(string method, string monitorIdJson, string tableUpdatesJson) =>
        SendAsync($"{{\"method\":\"{method}\",\"params\":[{monitorIdJson},{tableUpdatesJson}],\"id\":null}}");

    /// <summary>Closes the connection the way a crashing server would.</summary>
    public void Abort() => _socket.Close();

    /// <summary>True once the client has closed its side (a receive returns end of stream).</summary>
    public async Task<bool> ClientClosedAsync()
    {
        using var timeout = new CancellationTokenSource(FakeOvsdbServer.DefaultTimeout);
        byte[] scratch = new byte[256];
        while (true)
        {
            int read = await _socket.ReceiveAsync(scratch, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return true;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool TryTakeValue(out string text)
    {
        text = string.Empty;
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _count), isFinalBlock: false, state: default);
        if (!reader.Read())
        {
            return false;
        }

        int start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return false;
        }

        int end = (int)reader.BytesConsumed;
        text = Encoding.UTF8.GetString(_buffer, start, end - start);
        _buffer.AsSpan(end, _count - end).CopyTo(_buffer);
        _count -= end;
        return true;
    }
}
