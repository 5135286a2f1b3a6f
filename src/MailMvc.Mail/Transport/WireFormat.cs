using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>How a message is written when it leaves the app: CRLF line endings, as on the SMTP wire.</summary>
internal static class WireFormat
{
    public static FormatOptions Options { get; } = Create();

    private static FormatOptions Create()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
