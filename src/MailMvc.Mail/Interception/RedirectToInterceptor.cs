namespace MailMvc.Mail.Interception;

/// <summary>
/// For staging: every message goes to <see cref="MailOptions.RedirectTo"/> instead of its recipients. The original
/// To, Cc and Bcc addresses are kept in an <c>X-Original-To</c> header, Cc and Bcc are dropped, and the subject
/// starts with <see cref="SubjectPrefix"/>. Off unless <c>Mail:RedirectTo</c> is set; the mailer then runs it
/// before any registered interceptor.
/// </summary>
public sealed class RedirectToInterceptor : IMailInterceptor
{
    /// <summary>What a redirected message's subject starts with.</summary>
    public const string SubjectPrefix = "[Redirected] ";

    /// <summary>The header that keeps the original recipients.</summary>
    public const string OriginalRecipientsHeader = "X-Original-To";

    /// <inheritdoc />
    public ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(context.Options.RedirectTo))
        {
            return ValueTask.CompletedTask;
        }

        var message = context.Message;
        // Sent again (a retry of the same Message): the originals are already kept, and SendTo is the redirect address.
        if (!message.ExtraHeaders.ContainsKey(OriginalRecipientsHeader))
        {
            message.ExtraHeaders[OriginalRecipientsHeader] = string.Join(", ", message.SendTo);
        }

        message.Recipients.Clear();
        message.Cc.Clear();
        message.Bcc.Clear();
        message.Recipients.Add(context.Options.RedirectTo);
        if (message.Subject?.StartsWith(SubjectPrefix, StringComparison.Ordinal) != true)
        {
            message.Subject = SubjectPrefix + message.Subject;
        }

        return ValueTask.CompletedTask;
    }
}
