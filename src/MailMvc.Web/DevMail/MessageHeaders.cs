namespace MailMvc.Web.DevMail;

/// <summary>The headers a person checks first, as shown in a message's header block.</summary>
public sealed record MessageHeaders(string From, string To, string? Cc, string? ReplyTo, string Subject, DateTimeOffset Date, string MessageId)
{
    public static MessageHeaders Create(MimeKit.MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageHeaders(
            message.From.ToString(),
            message.To.ToString(),
            message.Cc.Count > 0 ? message.Cc.ToString() : null,
            message.ReplyTo.Count > 0 ? message.ReplyTo.ToString() : null,
            message.Subject ?? "",
            message.Date,
            message.MessageId ?? "");
    }
}
