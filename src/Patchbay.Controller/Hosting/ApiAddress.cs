// Where the REST API listens: "unix:PATH" or "http://HOST:PORT" (an IP literal or localhost).
using System.Globalization;
using System.Net;

namespace Patchbay.Controller.Hosting;

public sealed record ApiAddress
{
    private ApiAddress(string? path, IPAddress? address, int port)
    {
        Path = path;
        Address = address;
        Port = port;
    }

    /// <summary>The unix socket file; null for TCP.</summary>
    public string? Path { get; }

    /// <summary>The TCP address; null for a unix socket.</summary>
    public IPAddress? Address { get; }

    public int Port { get; }

    public static ApiAddress Unix(string path) =>
        string.IsNullOrWhiteSpace(path) ? throw new FormatException("an API unix socket needs a path, as in unix:/run/patchbay/api.sock") : new(path, null, 0);

    public static ApiAddress Tcp(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new(null, address, port);
    }

    /// <exception cref="FormatException">Neither unix:PATH nor http://HOST:PORT.</exception>
    public static ApiAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            return Unix(text["unix:".Length..]);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.IsDefaultPort && !text.EndsWith(":80", StringComparison.Ordinal) && !text.EndsWith(":80/", StringComparison.Ordinal))
        {
            throw new FormatException($"API address '{text}' is neither unix:PATH nor http://HOST:PORT");
        }

        IPAddress address = uri.Host == "localhost"
            ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? literal)
                ? literal
                : throw new FormatException($"API address '{text}' names host '{uri.Host}'; use an IP address or localhost");
        return Tcp(address, uri.Port);
    }

    public override string ToString() => Path is not null
        ? $"unix:{Path}"
        : string.Create(CultureInfo.InvariantCulture, $"http://{(Address!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}");
}
