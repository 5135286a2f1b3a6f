using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// A self-signed certificate for 127.0.0.1, made once per test run. The SMTP test server gets it as PEM
/// files; the client trusts exactly this certificate (by its SHA-256 thumbprint) and nothing else.
/// </summary>
internal static class TestCertificate
{
    private static readonly Lazy<(string CertificatePem, string KeyPem, string Thumbprint)> s_certificate = new(Create);

    /// <summary>The SHA-256 thumbprint of the certificate, in upper-case hex.</summary>
    public static string Thumbprint => s_certificate.Value.Thumbprint;

    /// <summary>The certificate and its private key, as PEM text.</summary>
    public static (string CertificatePem, string KeyPem) Pem => (s_certificate.Value.CertificatePem, s_certificate.Value.KeyPem);

    /// <summary>Writes the certificate and its private key as PEM files into <paramref name="directory"/>.</summary>
    public static (string CertificatePath, string KeyPath) WritePemFiles(string directory)
    {
        var (certificatePem, keyPem, _) = s_certificate.Value;
        var certificatePath = Path.Combine(directory, "server.crt");
        var keyPath = Path.Combine(directory, "server.key");
        File.WriteAllText(certificatePath, certificatePem);
        File.WriteAllText(keyPath, keyPem);
        return (certificatePath, keyPath);
    }

    /// <summary>Accepts the test certificate, whatever the chain says (it is self-signed), and nothing else.</summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null &&
        string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), Thumbprint, StringComparison.OrdinalIgnoreCase);

    private static (string, string, string) Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MailMvc test SMTP server", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }
}
