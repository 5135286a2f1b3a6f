using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>How a message is written when it leaves the app: CRLF line endings, as on the SMTP wire. Transports that
/// write or store messages use it, so stored bytes are the bytes sent.</summary>
public static class WireFormat
{
    /// <summary>MimeKit's format options for the wire (do not change them: they are shared).</summary>
    public static FormatOptions Options { get; } = Create();

    private static FormatOptions Create()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
