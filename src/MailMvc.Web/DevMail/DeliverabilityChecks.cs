using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using MailMvc.Mail;
using MimeKit;

namespace MailMvc.Web.DevMail;

/// <summary>
/// Checks a mail against what Gmail's and Yahoo's sender guidelines ask of bulk mail: a one-click unsubscribe in the
/// headers (RFC 8058) and a visible unsubscribe link in the body, a From domain aligned with the DKIM signing domain,
/// and a plain-text part; and says whether and by which domain and selector it is DKIM-signed.
/// </summary>
public sealed partial class DeliverabilityChecks
{
    private readonly IMailer _mailer;

    public DeliverabilityChecks(IMailer mailer) => _mailer = mailer;

    /// <summary>The report for a mail's raw MIME source, as a preview shows it (signed at delivery when DKIM is configured).</summary>
    public DeliverabilityReport ForSource(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(source));
        return For(MimeMessage.Load(stream), queued: true);
    }

    /// <summary>The report for a mail; <paramref name="queued"/> when it has not been signed yet (a preview, or mail queued in
    /// the outbox, which is signed as it is delivered).</summary>
    public DeliverabilityReport For(MimeMessage mime, bool queued)
    {
        ArgumentNullException.ThrowIfNull(mime);
        var (dkim, signingDomain) = DescribeSignature(mime, queued);
        if (!mime.Headers.Contains(HeaderId.ListUnsubscribe))
        {
            return new DeliverabilityReport(dkim, signingDomain is not null, IsBulk: false, []);
        }

        var header = mime.Headers[HeaderId.ListUnsubscribe] ?? "";
        var link = HttpsLink().Match(header) is { Success: true } found ? found.Groups[1].Value : null;
        var oneClick = mime.Headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click";
        var html = mime.HtmlBody is { } body ? new HtmlParser().ParseDocument(body) : null;
        var inBody = link is not null && html?.QuerySelectorAll("a[href]").Any(a => a.GetAttribute("href") == link) == true;
        var from = (mime.From.Mailboxes.FirstOrDefault()?.Domain ?? "").ToLowerInvariant();
        return new DeliverabilityReport(dkim, signingDomain is not null, IsBulk: true,
        [
            new("One-click unsubscribe in the headers", link is not null && oneClick, link is null
                ? "List-Unsubscribe has no https:// link; Gmail and Yahoo require one-click unsubscribe (RFC 8058) from bulk senders."
                : oneClick ? $"List-Unsubscribe <{link}> with List-Unsubscribe-Post: List-Unsubscribe=One-Click."
                : "List-Unsubscribe-Post: List-Unsubscribe=One-Click is missing, so mail clients cannot unsubscribe in one click."),
            new("Unsubscribe link in the body", inBody, inBody
                ? "The HTML part links to the same unsubscribe address as the header."
                : "The HTML part has no visible link to the header's unsubscribe address; Gmail asks for one in the message too."),
            new("From aligned with the DKIM domain", signingDomain is not null && Aligned(from, signingDomain), signingDomain is null
                ? $"The mail is not DKIM-signed, so From ({from}) is aligned with nothing; set Mail:Dkim:Domain, Selector and the key."
                : Aligned(from, signingDomain)
                    ? $"From's domain {from} is the signing domain {signingDomain} (or under it), as DMARC alignment needs."
                    : $"From's domain {from} is not {signingDomain} nor under it: DMARC fails alignment. Send from {signingDomain} or sign for {from}."),
            new("Plain-text part", !string.IsNullOrWhiteSpace(mime.TextBody), string.IsNullOrWhiteSpace(mime.TextBody)
                ? "No text/plain part; add a .text.cshtml twin of the template."
                : link is not null && mime.TextBody.Contains(link, StringComparison.Ordinal)
                    ? "A text part, with the unsubscribe link."
                    : "A text part (without the unsubscribe link)."),
        ]);
    }

    /// <summary>Relaxed DMARC alignment: the same domain, or From's domain under the signing domain.</summary>
    private static bool Aligned(string from, string signingDomain) =>
        from.Equals(signingDomain, StringComparison.OrdinalIgnoreCase) || from.EndsWith("." + signingDomain, StringComparison.OrdinalIgnoreCase);

    private (string Text, string? Domain) DescribeSignature(MimeMessage mime, bool queued)
    {
        if (mime.Headers[HeaderId.DkimSignature] is { } signature)
        {
            var domain = Tag(signature, "d");
            return ($"signed: d={domain}, s={Tag(signature, "s")}", domain?.ToLowerInvariant());
        }

        var dkim = _mailer.Options.Dkim;
        if (queued && dkim.IsEnabled)
        {
            return ($"signed at delivery: d={dkim.Domain}, s={dkim.Selector}", dkim.Domain!.ToLowerInvariant());
        }

        return ("not signed: Mail:Dkim:Domain is not set", null);
    }

    private static string? Tag(string signature, string name) =>
        Regex.Match(signature, $@"(?:^|;)\s*{name}\s*=\s*([^;\s]+)") is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"<(https://[^>]+)>")]
    private static partial Regex HttpsLink();
}
