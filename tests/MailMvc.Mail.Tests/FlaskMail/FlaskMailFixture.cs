using System.Text;
using MimeKit;

namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>
/// Flask-Mail's conftest.py: an app with TESTING on (so sending is suppressed) and
/// MAIL_DEFAULT_SENDER "support@example.com", plus helpers to read the MIME text MimeKit writes.
/// </summary>
internal static class FlaskMailFixture
{
    public const string DefaultSender = "support@example.com";

    public static MailOptions Options(string? defaultSender = DefaultSender) =>
        new() { DefaultSender = defaultSender, SuppressSend = true };

    public static Mailer CreateMailer(string? defaultSender = DefaultSender) => new(Options(defaultSender));

    /// <summary>Flask-Mail's <c>msg.as_string()</c>: the MIME text as written, with the fixture's default sender.</summary>
    public static string AsString(Message message, MailOptions? options = null) =>
        message.ToMimeMessage(options ?? Options()).ToString();

    /// <summary>The message as a mail client reads it back from the written text.</summary>
    public static MimeMessage Written(Message message, MailOptions? options = null) => Parse(AsString(message, options));

    public static MimeMessage Parse(string mimeText)
    {
        // MimeKit writes bytes and MimeMessage.ToString() maps them one to one onto Latin-1 characters.
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(mimeText));
        return MimeMessage.Load(stream);
    }

    /// <summary>A header's value as it is on the wire (still RFC 2047/2231 encoded), unfolded.</summary>
    public static string RawHeader(HeaderList headers, string field) =>
        Unfold(headers.Single(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase)).RawValue);

    public static string RawHeader(MimeMessage message, string field) => RawHeader(message.Headers, field);

    public static string RawHeader(MimeEntity entity, string field) => RawHeader(entity.Headers, field);

    private static string Unfold(byte[] raw) =>
        Encoding.Latin1.GetString(raw).Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
}
