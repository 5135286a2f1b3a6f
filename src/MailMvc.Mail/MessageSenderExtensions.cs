namespace MailMvc.Mail;

/// <summary>Flask-Mail's <c>send_message(**kwargs)</c> for mailers and connections alike.</summary>
public static class MessageSenderExtensions
{
    /// <summary>Builds a message from the arguments, which are the <see cref="Message"/> constructor's (Flask-Mail: "takes
    /// same arguments as Message constructor"), and sends it.</summary>
    /// <returns>What became of the message (see <see cref="IMessageSender.SendAsync"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messageSender"/> is null.</exception>
    /// <exception cref="MailDeliveryException">As for <see cref="IMessageSender.SendAsync"/>.</exception>
    public static Task<MailReceipt> SendMessageAsync(
        this IMessageSender messageSender,
        string? subject = null,
        IEnumerable<string>? recipients = null,
        string? body = null,
        string? html = null,
        EmailAddress? sender = null,
        IEnumerable<string>? cc = null,
        IEnumerable<string>? bcc = null,
        EmailAddress? replyTo = null,
        DateTimeOffset? date = null,
        string? charset = null,
        IDictionary<string, string>? extraHeaders = null,
        IEnumerable<string>? mailOptions = null,
        IEnumerable<string>? rcptOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageSender);
        var message = new Message(subject, recipients, body, html, sender, cc, bcc, replyTo, date, charset, extraHeaders, mailOptions, rcptOptions);
        return messageSender.SendAsync(message, cancellationToken);
    }
}
