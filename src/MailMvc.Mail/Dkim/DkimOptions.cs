namespace MailMvc.Mail.Dkim;

/// <summary>
/// DKIM signing, section <c>Mail:Dkim</c>: set <see cref="Domain"/>, <see cref="Selector"/> and the private key, and
/// every mail is signed (rsa-sha256, relaxed/relaxed) right before the transport that delivers it, so the signature
/// covers the exact bytes that go on the wire, for queued mail too. Off while <see cref="Domain"/> is unset.
/// </summary>
public sealed class DkimOptions
{
    /// <summary>The signing domain (<c>d=</c>), normally the domain of the From address.</summary>
    public string? Domain { get; set; }

    /// <summary>The selector (<c>s=</c>): the public key is published at <c>{Selector}._domainkey.{Domain}</c>.</summary>
    public string? Selector { get; set; }

    /// <summary>A PEM file holding the RSA private key (PKCS#1 or PKCS#8). A relative path is under the content root.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The RSA private key in PEM, from user-secrets or the environment (<c>Mail__Dkim__PrivateKey</c>); never
    /// from a committed file. Use this or <see cref="PrivateKeyPath"/>.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The headers the signature covers, From always among them. Unset means From, To, Cc, Reply-To, Subject,
    /// Date, Message-ID, MIME-Version, Content-Type, List-Unsubscribe and List-Unsubscribe-Post (those a message has).</summary>
    public IList<string> Headers { get; set; } = [];

    /// <summary>True when signing is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Domain);

    /// <summary>The default <see cref="Headers"/>.</summary>
    public static IReadOnlyList<string> DefaultHeaders { get; } =
        ["From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post"];
}
