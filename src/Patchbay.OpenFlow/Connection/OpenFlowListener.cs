// Accepts switches on any number of endpoints (tcp, ssl, unix) and runs one SwitchSession per connection.
// Each connection lives in its own task with its own failure handling, so a switch that sends garbage,
// fails TLS or vanishes ends only its own connection, never another session or the listener.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Patchbay.OpenFlow.Connection;

public sealed class OpenFlowListener : IAsyncDisposable
{
    private const int Backlog = 128;

    private readonly IReadOnlyList<OpenFlowEndpoint> _requested;
    private readonly IOpenFlowHandler _handler;
    private readonly SwitchSessionOptions _options;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly List<string> _socketFiles = [];
    private readonly List<OpenFlowEndpoint> _bound = [];
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly ConcurrentDictionary<SwitchSession, byte> _sessions = new();
    private long _nextConnection;
    private int _state;

    public OpenFlowListener(
        IEnumerable<OpenFlowEndpoint> endpoints,
        IOpenFlowHandler handler,
        SwitchSessionOptions? options = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(handler);
        _requested = [.. endpoints];
        if (_requested.Count == 0)
        {
            throw new ArgumentException("an OpenFlow listener needs at least one endpoint", nameof(endpoints));
        }

        _handler = handler;
        _options = options ?? SwitchSessionOptions.Default;
        _options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<OpenFlowListener>();
        _sessionLogger = loggerFactory.CreateLogger<SwitchSession>();
    }

    /// <summary>The endpoints as bound: a tcp/ssl port 0 is replaced by the port the system chose.</summary>
    public IReadOnlyList<OpenFlowEndpoint> Endpoints => _bound;

    /// <summary>Sessions whose connection is open (handshaking or connected).</summary>
    public IReadOnlyCollection<SwitchSession> Sessions => [.. _sessions.Keys];

    /// <summary>
    /// Binds every endpoint and starts accepting. A unix socket file left by a process that is gone is
    /// removed first; one that a live process still listens on is an error. If any endpoint fails to bind,
    /// none stays bound.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_state == 2, this);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("the OpenFlow listener is already started");
        }

        try
        {
            foreach (OpenFlowEndpoint endpoint in _requested)
            {
                Socket socket = Bind(endpoint);
                _sockets.Add(socket);
                OpenFlowEndpoint bound = Resolve(endpoint, socket);
                _bound.Add(bound);
                OpenFlowLog.Listening(_logger, bound, socket.LocalEndPoint?.ToString() ?? bound.ToString());
            }
        }
        catch
        {
            CloseSockets();
            throw;
        }

        for (int i = 0; i < _sockets.Count; i++)
        {
            _acceptLoops.Add(AcceptLoopAsync(_sockets[i], _bound[i], _shutdown.Token));
        }
    }

    /// <summary>Stops accepting, closes every session (pending requests fail) and removes the unix socket files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        CloseSockets();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _shutdown.Dispose();
    }

    private Socket Bind(OpenFlowEndpoint endpoint)
    {
        if (endpoint.Transport == OpenFlowTransport.Unix)
        {
            string path = endpoint.Path!;
            RemoveStaleSocket(path);
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                unix.Bind(new UnixDomainSocketEndPoint(path));
                _socketFiles.Add(path);
                unix.Listen(Backlog);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        IPAddress address = IPAddress.TryParse(endpoint.Host, out IPAddress? literal)
            ? literal
            : Dns.GetHostAddresses(endpoint.Host!) is [IPAddress first, ..]
                ? first
                : throw new SocketException((int)SocketError.HostNotFound, $"OpenFlow endpoint {endpoint}: host \"{endpoint.Host}\" has no address");
        var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                tcp.DualMode = true;
            }

            tcp.Bind(new IPEndPoint(address, endpoint.Port));
            tcp.Listen(Backlog);
            return tcp;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private void RemoveStaleSocket(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"OpenFlow endpoint unix:{path} is a directory");
        }

        if (!File.Exists(path))
        {
            return;
        }

        // A mistyped path must not cost someone a file: only a socket is ever replaced.
        if (!IsSocketFile(path))
        {
            throw new IOException($"OpenFlow endpoint unix:{path} names an existing file that is not a socket; refusing to replace it");
        }

        // A file that accepts a connection belongs to a live listener; one that refuses is left over.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            OpenFlowLog.RemovedStaleSocket(_logger, path);
            return;
        }

        throw new IOException($"OpenFlow endpoint unix:{path} is in use: another process listens on it");
    }

    private static bool IsSocketFile(string path)
    {
        try
        {
            // open(2) fails with ENXIO on a unix socket and succeeds on anything else; read-write so that a
            // FIFO does not block waiting for a writer.
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            return false;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return true;
        }
    }

    private static OpenFlowEndpoint Resolve(OpenFlowEndpoint endpoint, Socket socket) => endpoint.Transport switch
    {
        OpenFlowTransport.Unix => endpoint,
        OpenFlowTransport.Tcp => OpenFlowEndpoint.Tcp(endpoint.Host!, ((IPEndPoint)socket.LocalEndPoint!).Port),
        _ => OpenFlowEndpoint.Ssl(endpoint.Host!, ((IPEndPoint)socket.LocalEndPoint!).Port, endpoint.Tls!),
    };

    private async Task AcceptLoopAsync(Socket listener, OpenFlowEndpoint endpoint, CancellationToken cancellationToken)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up between SYN and accept; that is its business, not the listener's.
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                OpenFlowLog.AcceptFailed(_logger, endpoint, e);
                return;
            }

            long id = Interlocked.Increment(ref _nextConnection);
            Task connection = RunConnectionAsync(id, socket, endpoint, cancellationToken);
            _connections[id] = connection;
            if (connection.IsCompleted)
            {
                _connections.TryRemove(id, out _);
            }
        }
    }

    private async Task RunConnectionAsync(long id, Socket socket, OpenFlowEndpoint endpoint, CancellationToken cancellationToken)
    {
        // Off the accept loop's stack: a slow TLS handshake must not delay the next accept.
        await Task.Yield();
        string remote = endpoint.Transport == OpenFlowTransport.Unix
            ? $"unix:{endpoint.Path}#{id}"
            : $"{(endpoint.Transport == OpenFlowTransport.Ssl ? "ssl" : "tcp")}:{socket.RemoteEndPoint}";
        try
        {
            OpenFlowLog.Accepted(_logger, remote, endpoint);
            if (endpoint.Transport != OpenFlowTransport.Unix)
            {
                // OpenFlow is small request/reply messages; Nagle would add latency to every flow setup.
                socket.NoDelay = true;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (endpoint.Tls is OpenFlowTlsOptions tls)
            {
                stream = await AuthenticateAsync(stream, tls, remote, cancellationToken).ConfigureAwait(false);
                if (stream == Stream.Null)
                {
                    return;
                }
            }

            var session = new SwitchSession(stream, remote, _handler, _options, _sessionLogger);
            _sessions[session] = 0;
            try
            {
                await session.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sessions.TryRemove(session, out _);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OpenFlowLog.SessionFaulted(_logger, remote, e);
            socket.Dispose();
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>Runs the TLS server handshake; on failure logs, closes the connection and returns Stream.Null.</summary>
    private async Task<Stream> AuthenticateAsync(Stream inner, OpenFlowTlsOptions tls, string remote, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(ServerOptions(tls), timeout.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            OpenFlowLog.TlsFailed(_logger, remote, e);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return Stream.Null;
        }
    }

    private static SslServerAuthenticationOptions ServerOptions(OpenFlowTlsOptions tls) => new()
    {
        ServerCertificate = tls.Certificate,
        ClientCertificateRequired = tls.ClientCertificateAuthority is not null,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

        // Without a CA no client certificate is requested, so the default (no callback) has nothing to judge.
        RemoteCertificateValidationCallback = tls.ClientCertificateAuthority is X509Certificate2 ca
            ? (_, certificate, _, _) => ChainsTo(certificate, ca)
            : null,
    };

    /// <summary>Whether the switch's certificate chains to the configured CA alone (not the system's roots).</summary>
    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2 ca)
    {
        if (certificate is null)
        {
            return false;
        }

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private void CloseSockets()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        foreach (string path in _socketFiles)
        {
            File.Delete(path);
        }

        _socketFiles.Clear();
    }
}
