// A switch that speaks raw bytes to the controller's listener over tcp, ssl or unix. It never answers on
// its own: each test decides what to send (a HELLO of any version, a FEATURES_REPLY, multipart parts,
// garbage) and when to stay silent, and reads what the controller sent frame by frame.
using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;

namespace Patchbay.Testing.OpenFlow;

public sealed class FakeSwitchClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[OfpConstants.HeaderSize];

    // A test may send from its own flow while another answers requests; frames must not interleave
    // (and SslStream refuses concurrent writes outright).
    private readonly SemaphoreSlim _sending = new(1, 1);

    private FakeSwitchClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (a wildcard host means loopback). For ssl the server
    /// certificate is accepted as is and <paramref name="clientCertificate"/>, if any, is offered.
    /// A small <paramref name="receiveBufferSize"/> makes a switch that stops reading push back quickly.
    /// </summary>
    public static async Task<FakeSwitchClient> ConnectAsync(
        OpenFlowEndpoint endpoint,
        X509Certificate2? clientCertificate = null,
        int? receiveBufferSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Socket socket;
        EndPoint target;
        if (endpoint.Transport == OpenFlowTransport.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(endpoint.Path!);
        }
        else
        {
            IPAddress address = IPAddress.Parse(endpoint.Host!);
            if (address.Equals(IPAddress.Any))
            {
                address = IPAddress.Loopback;
            }
            else if (address.Equals(IPAddress.IPv6Any))
            {
                address = IPAddress.IPv6Loopback;
            }

            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            target = new IPEndPoint(address, endpoint.Port);
        }

        try
        {
            if (receiveBufferSize is int size)
            {
                socket.ReceiveBufferSize = size;
            }

            await socket.ConnectAsync(target, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (endpoint.Transport == OpenFlowTransport.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = "patchbay-controller",
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
#pragma warning disable CA5359 // The test switch trusts whatever certificate the controller under test presents.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
                };
                await ssl.AuthenticateAsClientAsync(options, cancellationToken);
                stream = ssl;
            }

            return new FakeSwitchClient(socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> as they are; safe to call from several tasks at once.</summary>
    public async Task SendBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public Task SendAsync(OfpMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendBytesAsync(message.ToBytes(), cancellationToken);
    }

    /// <summary>
    /// Sends a HELLO whose header says <paramref name="headerVersion"/>; with <paramref name="bitmapVersions"/>
    /// it also carries a version bitmap offering exactly those versions.
    /// </summary>
    public Task SendHelloAsync(byte headerVersion, uint xid = 1, params byte[] bitmapVersions)
    {
        var hello = new Hello(bitmapVersions.Length == 0 ? [] : [HelloElement.VersionBitmap(bitmapVersions)])
        {
            Xid = xid,
            HeaderVersion = headerVersion,
        };
        return SendAsync(hello);
    }

    /// <summary>
    /// Plays an OpenFlow 1.3 switch's side of the handshake: HELLO both ways, then answers the controller's
    /// FEATURES_REQUEST with <paramref name="datapathId"/>.
    /// </summary>
    public async Task HandshakeAsync(ulong datapathId, TimeSpan? timeout = null)
    {
        await SendHelloAsync(OfpConstants.Version13, 1, OfpConstants.Version13);
        await ReceiveAsync<Hello>(timeout);
        FeaturesRequest request = await ReceiveAsync<FeaturesRequest>(timeout);
        await SendAsync(FeaturesReplyFor(datapathId, request.Xid));
    }

    public static FeaturesReply FeaturesReplyFor(ulong datapathId, uint xid) =>
        new(datapathId, 256, 254, 0, OfpCapabilities.FlowStats | OfpCapabilities.TableStats | OfpCapabilities.PortStats, 0) { Xid = xid };

    /// <summary>
    /// Answers a multipart request in <paramref name="parts"/>.Count messages, MORE set on all but the last;
    /// with <paramref name="final"/> false on the last one too, so that more parts can follow in another call.
    /// </summary>
    public async Task SendMultipartAsync(uint xid, IReadOnlyList<MultipartReply> parts, bool final = true)
    {
        ArgumentNullException.ThrowIfNull(parts);
        for (int i = 0; i < parts.Count; i++)
        {
            MultipartReplyFlags flags = i < parts.Count - 1 || !final ? MultipartReplyFlags.More : MultipartReplyFlags.None;
            await SendAsync(parts[i] with { Xid = xid, Flags = flags });
        }
    }

    /// <summary>Reads one whole frame as sent, by its header length.</summary>
    /// <exception cref="EndOfStreamException">The controller closed the connection.</exception>
    /// <exception cref="TimeoutException">No whole frame in time.</exception>
    public async Task<byte[]> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _stream.ReadExactlyAsync(_header, cts.Token);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            if (length < OfpConstants.HeaderSize)
            {
                throw new InvalidDataException($"controller sent ofp_header.length {length}");
            }

            var frame = new byte[length];
            _header.CopyTo(frame, 0);
            await _stream.ReadExactlyAsync(frame.AsMemory(OfpConstants.HeaderSize), cts.Token);
            return frame;
        }
        catch (OperationCanceledException e) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no whole OpenFlow frame from the controller within {timeout ?? DefaultTimeout}", e);
        }
    }

    public async Task<OfpMessage> ReceiveAsync(TimeSpan? timeout = null) =>
        OfpMessageReader.Decode(await ReceiveFrameAsync(timeout));

    /// <summary>Reads the next message and fails, naming what came instead, unless it is a <typeparamref name="T"/>.</summary>
    public async Task<T> ReceiveAsync<T>(TimeSpan? timeout = null)
        where T : OfpMessage
    {
        OfpMessage message = await ReceiveAsync(timeout);
        return message as T ?? throw new InvalidDataException($"expected {typeof(T).Name} from the controller, got {message}");
    }

    /// <summary>
    /// Reads and drops everything until the controller closes the connection; true if it did within
    /// <paramref name="timeout"/>, false if the connection was still open then.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var sink = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(sink, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return false;
        }
        catch (IOException)
        {
            // A reset is a close as well.
            return true;
        }
    }

    /// <summary>Closes the connection the way a switch that is switched off would.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
        _sending.Dispose();
    }
}
