using System.Security.Cryptography;

namespace MailMvc.Mail.Dkim;

/// <summary>The private key of <see cref="DkimOptions"/>, read once, and the DNS record that publishes its public half.</summary>
public sealed class DkimKey
{
    private DkimKey(string pem, string publicKey)
    {
        Pem = pem;
        PublicKey = publicKey;
    }

    /// <summary>The private key in PEM, as MimeKit's signer reads it.</summary>
    internal string Pem { get; }

    /// <summary>The public key, base64 (SubjectPublicKeyInfo), the record's <c>p=</c>.</summary>
    public string PublicKey { get; }

    /// <summary>Reads the key <paramref name="options"/> names.</summary>
    /// <exception cref="InvalidOperationException">The key is missing, unreadable or not an RSA private key; the message
    /// names the setting and what to do.</exception>
    public static DkimKey Load(DkimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string pem;
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            pem = options.PrivateKey;
        }
        else if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            try
            {
                pem = File.ReadAllText(options.PrivateKeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"Mail:Dkim:PrivateKeyPath '{options.PrivateKeyPath}' cannot be read: {e.Message} Point it at the PEM file of the RSA private key.", e);
            }
        }
        else
        {
            throw new InvalidOperationException(
                "Mail:Dkim:Domain is set but there is no key: set Mail:Dkim:PrivateKeyPath (a PEM file) or Mail:Dkim:PrivateKey (from user-secrets or the environment).");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too, but cannot sign.
            rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"The DKIM key ({Source(options)}) is not an RSA private key in PEM ('-----BEGIN PRIVATE KEY-----' or " +
                "'-----BEGIN RSA PRIVATE KEY-----'). Make one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.pem", e);
        }

        if (rsa.KeySize < 1024)
        {
            throw new InvalidOperationException($"The DKIM key ({Source(options)}) has {rsa.KeySize} bits; receivers refuse fewer than 1024. Use 2048.");
        }

        return new DkimKey(pem, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The TXT record to publish for <paramref name="options"/>' selector and domain, in zone-file form.</summary>
    public string DnsRecord(DkimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.Selector}._domainkey.{options.Domain}. IN TXT \"v=DKIM1; k=rsa; p={PublicKey}\"";
    }

    private static string Source(DkimOptions options) =>
        string.IsNullOrWhiteSpace(options.PrivateKey) ? $"Mail:Dkim:PrivateKeyPath '{options.PrivateKeyPath}'" : "Mail:Dkim:PrivateKey";
}
