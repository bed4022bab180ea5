// OpenFlowEndpoint.Parse: the ovs-vsctl style specs it accepts, and the messages for the ones it refuses.
using Patchbay.OpenFlow.Connection;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class OpenFlowEndpointTests
{
    [Theory]
    [InlineData("tcp:127.0.0.1:6653", "127.0.0.1", 6653)]
    [InlineData("tcp:0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("tcp:controller.example:16653", "controller.example", 16653)]
    [InlineData("tcp:10.1.2.3", "10.1.2.3", OpenFlowEndpoint.DefaultPort)]
    [InlineData("tcp:[::1]:6654", "::1", 6654)]
    [InlineData("tcp:[fe80::1]", "fe80::1", OpenFlowEndpoint.DefaultPort)]
    public void Parse_TcpSpec_ReadsHostAndPort(string spec, string host, int port)
    {
        OpenFlowEndpoint endpoint = OpenFlowEndpoint.Parse(spec);

        Assert.Equal(OpenFlowTransport.Tcp, endpoint.Transport);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.Null(endpoint.Path);
        Assert.Null(endpoint.Tls);
    }

    [Fact]
    public void Parse_UnixSpec_ReadsPath()
    {
        OpenFlowEndpoint endpoint = OpenFlowEndpoint.Parse("unix:/run/patchbay/of:1.sock");

        Assert.Equal(OpenFlowTransport.Unix, endpoint.Transport);
        Assert.Equal("/run/patchbay/of:1.sock", endpoint.Path);
        Assert.Null(endpoint.Host);
    }

    [Fact]
    public void Parse_SslSpecWithTls_KeepsTheCertificate()
    {
        var tls = new OpenFlowTlsOptions(TestCertificates.SelfSigned("controller"));

        OpenFlowEndpoint endpoint = OpenFlowEndpoint.Parse("ssl:0.0.0.0:6653", tls);

        Assert.Equal(OpenFlowTransport.Ssl, endpoint.Transport);
        Assert.Same(tls, endpoint.Tls);
        Assert.Equal(6653, endpoint.Port);
    }

    [Theory]
    [InlineData("tcp:127.0.0.1:6653")]
    [InlineData("tcp:[::1]:6653")]
    [InlineData("unix:/tmp/of.sock")]
    public void ToString_ParsedSpec_GivesTheSpecBack(string spec)
    {
        Assert.Equal(spec, OpenFlowEndpoint.Parse(spec).ToString());
    }

    [Theory]
    [InlineData("localhost", "no transport")]
    [InlineData(":6653", "no transport")]
    [InlineData("127.0.0.1:6653", "unknown transport \"127.0.0.1\"")]
    [InlineData("http:127.0.0.1:80", "unknown transport \"http\"")]
    [InlineData("tcp:", "no host")]
    [InlineData("tcp::6653", "no host")]
    [InlineData("tcp:127.0.0.1:http", "port \"http\"")]
    [InlineData("tcp:127.0.0.1:70000", "port \"70000\"")]
    [InlineData("tcp:127.0.0.1:-1", "port \"-1\"")]
    [InlineData("tcp:::1:6653", "without brackets")]
    [InlineData("tcp:[::1:6653", "never closes")]
    [InlineData("tcp:[::1]6653", "after the IPv6 address")]
    [InlineData("tcp:[host]:6653", "not an IPv6 address")]
    [InlineData("unix:", "no socket path")]
    public void Parse_BadSpec_ThrowsFormatExceptionNamingTheProblem(string spec, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => OpenFlowEndpoint.Parse(spec));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(spec, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SslWithoutTls_ThrowsArgumentException()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => OpenFlowEndpoint.Parse("ssl:127.0.0.1:6653"));

        Assert.Contains("certificate", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp:127.0.0.1:6653")]
    [InlineData("unix:/tmp/of.sock")]
    public void Parse_TlsOnPlainTransport_ThrowsArgumentException(string spec)
    {
        var tls = new OpenFlowTlsOptions(TestCertificates.SelfSigned("controller"));

        Assert.Throws<ArgumentException>(() => OpenFlowEndpoint.Parse(spec, tls));
    }
}
