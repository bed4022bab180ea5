// Where the controller listens for switches, written the way ovs-vsctl names controller targets:
// "tcp:HOST:PORT", "ssl:HOST:PORT" (plus certificate options) and "unix:PATH".
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Patchbay.OpenFlow.Connection;

public enum OpenFlowTransport
{
    Tcp,
    Ssl,
    Unix,
}

/// <summary>
/// The controller's TLS identity and, optionally, the CA that switch certificates must chain to.
/// Without a CA the switch is not asked for a certificate.
/// </summary>
public sealed record OpenFlowTlsOptions(X509Certificate2 Certificate, X509Certificate2? ClientCertificateAuthority = null)
{
    /// <summary>Loads PEM files as ovs-vswitchd's --private-key/--certificate/--ca-cert take them.</summary>
    public static OpenFlowTlsOptions FromPemFiles(string certificatePath, string privateKeyPath, string? caCertificatePath = null)
    {
        X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath);
        X509Certificate2? ca = caCertificatePath is null ? null : X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);
        return new OpenFlowTlsOptions(certificate, ca);
    }
}

public sealed record OpenFlowEndpoint
{
    /// <summary>The IANA-assigned OpenFlow port, used when a tcp/ssl spec names none (as OVS does).</summary>
    public const int DefaultPort = 6653;

    private OpenFlowEndpoint(OpenFlowTransport transport, string? host, int port, string? path, OpenFlowTlsOptions? tls)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Path = path;
        Tls = tls;
    }

    public OpenFlowTransport Transport { get; }

    /// <summary>Address or name to bind for tcp and ssl; null for unix.</summary>
    public string? Host { get; }

    /// <summary>Port for tcp and ssl (0 lets the system pick one); 0 for unix.</summary>
    public int Port { get; }

    /// <summary>Socket file for unix; null otherwise.</summary>
    public string? Path { get; }

    /// <summary>Present exactly when <see cref="Transport"/> is <see cref="OpenFlowTransport.Ssl"/>.</summary>
    public OpenFlowTlsOptions? Tls { get; }

    public static OpenFlowEndpoint Tcp(string host, int port) => new(OpenFlowTransport.Tcp, CheckHost(host), CheckPort(port), null, null);

    public static OpenFlowEndpoint Ssl(string host, int port, OpenFlowTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return new(OpenFlowTransport.Ssl, CheckHost(host), CheckPort(port), null, tls);
    }

    public static OpenFlowEndpoint Unix(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("a unix endpoint needs a socket path, as in \"unix:/run/patchbay/of.sock\"", nameof(path));
        }

        return new(OpenFlowTransport.Unix, null, 0, path, null);
    }

    /// <summary>
    /// Parses "tcp:HOST[:PORT]", "ssl:HOST[:PORT]" or "unix:PATH"; an IPv6 host is written in brackets
    /// ("tcp:[::1]:6653"). An ssl spec needs <paramref name="tls"/>; the others refuse it.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid endpoint spec.</exception>
    /// <exception cref="ArgumentException">An ssl spec comes without TLS options, or tcp/unix with them.</exception>
    public static OpenFlowEndpoint Parse(string spec, OpenFlowTlsOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"OpenFlow endpoint \"{spec}\" has no transport; expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH");
        }

        string scheme = spec[..colon];
        string rest = spec[(colon + 1)..];
        switch (scheme)
        {
            case "unix":
                if (tls is not null)
                {
                    throw new ArgumentException($"OpenFlow endpoint \"{spec}\" is a unix socket and takes no TLS options", nameof(tls));
                }

                if (rest.Length == 0)
                {
                    throw new FormatException($"OpenFlow endpoint \"{spec}\" has no socket path; expected unix:PATH");
                }

                return Unix(rest);
            case "tcp":
                if (tls is not null)
                {
                    throw new ArgumentException($"OpenFlow endpoint \"{spec}\" is plain tcp and takes no TLS options; use ssl:", nameof(tls));
                }

                (string tcpHost, int tcpPort) = ParseHostPort(spec, rest);
                return new(OpenFlowTransport.Tcp, tcpHost, tcpPort, null, null);
            case "ssl":
                if (tls is null)
                {
                    throw new ArgumentException($"OpenFlow endpoint \"{spec}\" is ssl and needs a certificate and private key", nameof(tls));
                }

                (string sslHost, int sslPort) = ParseHostPort(spec, rest);
                return new(OpenFlowTransport.Ssl, sslHost, sslPort, null, tls);
            default:
                throw new FormatException($"OpenFlow endpoint \"{spec}\" has unknown transport \"{scheme}\"; expected tcp, ssl or unix");
        }
    }

    public override string ToString() => Transport switch
    {
        OpenFlowTransport.Unix => $"unix:{Path}",
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{(Transport == OpenFlowTransport.Ssl ? "ssl" : "tcp")}:{(Host!.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}"),
    };

    private static (string Host, int Port) ParseHostPort(string spec, string rest)
    {
        string host;
        string? port;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"OpenFlow endpoint \"{spec}\" opens an IPv6 bracket but never closes it");
            }

            host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw new FormatException($"OpenFlow endpoint \"{spec}\" has \"{after}\" after the IPv6 address; expected :PORT");
            }

            port = after.Length == 0 ? null : after[1..];
            if (!IPAddress.TryParse(host, out _))
            {
                throw new FormatException($"OpenFlow endpoint \"{spec}\" has \"{host}\" in brackets, which is not an IPv6 address");
            }
        }
        else
        {
            int colon = rest.LastIndexOf(':');
            if (colon >= 0 && rest.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new FormatException($"OpenFlow endpoint \"{spec}\" has an IPv6 address without brackets; write it as [ADDRESS]:PORT");
            }

            host = colon < 0 ? rest : rest[..colon];
            port = colon < 0 ? null : rest[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"OpenFlow endpoint \"{spec}\" has no host; use 0.0.0.0 to listen on every address");
        }

        if (port is null)
        {
            return (host, DefaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > ushort.MaxValue)
        {
            throw new FormatException($"OpenFlow endpoint \"{spec}\" has port \"{port}\"; expected a number from 0 to 65535");
        }

        return (host, number);
    }

    private static string CheckHost(string host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("a tcp or ssl endpoint needs a host; use 0.0.0.0 to listen on every address", nameof(host));
        }

        return host;
    }

    private static int CheckPort(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        return port;
    }
}
