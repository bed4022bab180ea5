// Certificates made on the spot for TLS tests: a self-signed server certificate, and a small CA with a
// client certificate it issued (what ovs-pki gives a switch), all with private keys, none on disk.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Patchbay.Testing.OpenFlow;

public static class TestCertificates
{
    /// <summary>A self-signed certificate with its private key, usable as a TLS server identity.</summary>
    public static X509Certificate2 SelfSigned(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var subjectNames = new SubjectAlternativeNameBuilder();
        subjectNames.AddDnsName(commonName);
        request.CertificateExtensions.Add(subjectNames.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A CA certificate with its private key, for signing client certificates.</summary>
    public static X509Certificate2 Authority(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A client certificate issued by <paramref name="authority"/>, with its private key.</summary>
    public static X509Certificate2 IssuedBy(X509Certificate2 authority, string commonName)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        // Within the authority's own validity: "now + 1 day" taken a moment after the authority was made would outlive it.
        DateTimeOffset notAfter = authority.NotAfter.ToUniversalTime().AddHours(-1);
        using X509Certificate2 issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
