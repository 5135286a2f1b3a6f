using System.Security.Cryptography;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// The browser fixture for one-click unsubscribe: the app signs every mail with DKIM (a key made for this fixture, given
/// as PEM text, as a secret would be) for <see cref="DkimDomain"/>, the domain of its default sender.
/// </summary>
public sealed class UnsubscribeAppFixture : BrowserAppFixture
{
    /// <summary>The signing domain (<c>d=</c>), the app's default sender's.</summary>
    public const string DkimDomain = "example.com";

    private readonly RSA _key = RSA.Create(2048);

    /// <summary>The public key, as the DNS record's <c>p=</c> holds it, for dkimpy.</summary>
    public string DkimPublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    protected override IReadOnlyDictionary<string, string?> MoreSettings(string workDirectory) => new Dictionary<string, string?>
    {
        ["Mail:Dkim:Domain"] = DkimDomain,
        ["Mail:Dkim:Selector"] = "unsub2026",
        ["Mail:Dkim:PrivateKey"] = _key.ExportPkcs8PrivateKeyPem(),
    };
}
