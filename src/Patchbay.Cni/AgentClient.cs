// The agent's local API over its unix socket, as one HTTP/1.1 request per connection written and read by hand.
// The plugin is a process started once per verb: HttpClient's first request costs more start-up time than the
// agent's answer itself (bench/cni/run.sh), and this path needs only one request, Connection: close, and a
// Content-Length or chunked body back.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Patchbay.Core.Api;

namespace Patchbay.Cni;

/// <summary>The agent did not answer (no socket, refused, reset, or not within the timeout).</summary>
public sealed class AgentUnavailableException : Exception
{
    public AgentUnavailableException()
    {
    }

    public AgentUnavailableException(string message)
        : base(message)
    {
    }

    public AgentUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The agent answered with an error status; title and detail from its RFC 9457 problem document.</summary>
public sealed class AgentRefusedException : Exception
{
    public AgentRefusedException()
    {
    }

    public AgentRefusedException(string message)
        : base(message)
    {
    }

    public AgentRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AgentRefusedException(HttpStatusCode status, string title, string detail)
        : base($"{title}: {detail}")
    {
        Status = status;
        Title = title;
        Detail = detail;
    }

    public HttpStatusCode Status { get; }

    public string Title { get; } = "refused";

    public string Detail { get; } = string.Empty;
}

public sealed class AgentClient
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly string _socketPath;
    private readonly TimeSpan _timeout;

    public AgentClient(string socketPath, TimeSpan timeout)
    {
        _socketPath = socketPath.StartsWith("unix:", StringComparison.Ordinal) ? socketPath["unix:".Length..] : socketPath;
        _timeout = timeout;
    }

    private static PatchbayJsonContext Json => PatchbayJsonContext.Default;

    public async Task<PlugResult> PlugAsync(PlugRequest request, CancellationToken cancellationToken) =>
        Decode(await SendAsync("POST", "/v1/plug", JsonSerializer.SerializeToUtf8Bytes(request, Json.PlugRequest), cancellationToken), Json.PlugResult);

    public Task UnplugAsync(string endpoint, CancellationToken cancellationToken) =>
        SendAsync("POST", "/v1/unplug", JsonSerializer.SerializeToUtf8Bytes(new UnplugRequest(endpoint), Json.UnplugRequest), cancellationToken);

    public async Task<IReadOnlyList<PlugResult>> ListAsync(CancellationToken cancellationToken) =>
        Decode(await SendAsync("GET", "/v1/endpoints", null, cancellationToken), Json.ListResponsePlugResult).Items;

    /// <summary>True when GET /healthz answers 2xx.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync("GET", "/healthz", null, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is AgentUnavailableException or AgentRefusedException)
        {
            return false;
        }
    }

    /// <summary>One exchange; the body of a 2xx answer, else an <see cref="AgentRefusedException"/>.</summary>
    private async Task<byte[]> SendAsync(string method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        byte[] response;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), deadline.Token);
            string head = string.Create(
                CultureInfo.InvariantCulture,
                $"{method} {path} HTTP/1.1\r\nHost: agent\r\nConnection: close\r\nAccept: application/json\r\n")
                + (body is null ? "\r\n" : string.Create(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, deadline.Token);
            if (body is not null)
            {
                await socket.SendAsync(body, SocketFlags.None, deadline.Token);
            }

            response = await ReadToEndAsync(socket, deadline.Token);
        }
        catch (SocketException e)
        {
            throw new AgentUnavailableException(e.Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentUnavailableException($"no answer within {_timeout.TotalSeconds:0} s", e);
        }

        (int status, byte[] content) = Parse(response);
        if (status is >= 200 and < 300)
        {
            return content;
        }

        (string title, string detail) = Problem(content);
        throw new AgentRefusedException((HttpStatusCode)status, title, detail);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Status and body of a complete HTTP/1.1 response (RFC 9112: Content-Length, chunked, or until close).</summary>
    internal static (int Status, byte[] Body) Parse(byte[] response)
    {
        int end = response.AsSpan().IndexOf(HeaderEnd);
        if (end < 0)
        {
            throw new AgentUnavailableException("the agent closed the connection before a complete answer");
        }

        string[] lines = Encoding.ASCII.GetString(response, 0, end).Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new AgentUnavailableException($"the agent answered something that is not HTTP/1.1: '{lines[0]}'");
        }

        bool chunked = lines.Skip(1).Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        ReadOnlySpan<byte> rest = response.AsSpan(end + HeaderEnd.Length);
        return (status, chunked ? Dechunk(rest) : rest.ToArray());
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        using var body = new MemoryStream();
        while (true)
        {
            int lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw new AgentUnavailableException("the agent's chunked answer is cut short");
            }

            string sizeText = Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0
                || chunked.Length < lineEnd + 2 + size)
            {
                throw new AgentUnavailableException("the agent's chunked answer is malformed or cut short");
            }

            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size)..];
            if (chunked.StartsWith("\r\n"u8))
            {
                chunked = chunked[2..];
            }
        }
    }

    private static T Decode<T>(byte[] body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new AgentUnavailableException($"the agent answered an empty {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new AgentUnavailableException($"the agent's answer is not a {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static (string Title, string Detail) Problem(byte[] body)
    {
        try
        {
            using JsonDocument problem = JsonDocument.Parse(body);
            string? title = problem.RootElement.TryGetProperty("title", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? detail = problem.RootElement.TryGetProperty("detail", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return (title ?? "refused", detail ?? string.Empty);
        }
        catch (JsonException)
        {
            string text = Encoding.UTF8.GetString(body);
            return ("refused", text.Length > 300 ? text[..300] : text);
        }
    }
}
