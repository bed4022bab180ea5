// Where an OVSDB server listens, in ovs-vsctl's --db syntax ("unix:PATH", "tcp:HOST:PORT"), and how to connect to it.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;

namespace Patchbay.Ovsdb;

public enum OvsdbTransport
{
    Unix,
    Tcp,
}

public sealed record OvsdbEndpoint
{
    private OvsdbEndpoint(OvsdbTransport transport, string? path, string? host, int port)
    {
        Transport = transport;
        Path = path;
        Host = host;
        Port = port;
    }

    public OvsdbTransport Transport { get; }

    /// <summary>The socket path for <see cref="OvsdbTransport.Unix"/>.</summary>
    public string? Path { get; }

    /// <summary>The host name or IP address (without IPv6 brackets) for <see cref="OvsdbTransport.Tcp"/>.</summary>
    public string? Host { get; }

    public int Port { get; }

    public static OvsdbEndpoint Unix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new OvsdbEndpoint(OvsdbTransport.Unix, path, null, 0);
    }

    public static OvsdbEndpoint Tcp(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new OvsdbEndpoint(OvsdbTransport.Tcp, null, host, port);
    }

    public static OvsdbEndpoint Parse(string text) =>
        TryParse(text, out OvsdbEndpoint? endpoint)
            ? endpoint
            : throw new FormatException($"'{text}' is not an OVSDB endpoint (expected unix:PATH or tcp:HOST:PORT)");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out OvsdbEndpoint? endpoint)
    {
        endpoint = null;
        if (text is null)
        {
            return false;
        }

        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            string path = text["unix:".Length..];
            if (path.Length == 0)
            {
                return false;
            }

            endpoint = Unix(path);
            return true;
        }

        if (!text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            return false;
        }

        string rest = text["tcp:".Length..];
        int colon = rest.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        string host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            // An IPv6 address must be bracketed, or its last group would be mistaken for the port.
            return false;
        }

        if (host.Length == 0)
        {
            return false;
        }

        endpoint = Tcp(host, port);
        return true;
    }

    public override string ToString() => Transport switch
    {
        OvsdbTransport.Unix => $"unix:{Path}",
        _ when Host!.Contains(':', StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"tcp:[{Host}]:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"tcp:{Host}:{Port}"),
    };

    /// <summary>Opens a stream socket to the endpoint; the returned stream owns the socket.</summary>
    public async Task<Stream> ConnectAsync(CancellationToken cancellationToken = default)
    {
        Socket socket = Transport == OvsdbTransport.Unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (Transport == OvsdbTransport.Unix)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path!), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(Host!, Port, cancellationToken).ConfigureAwait(false);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
