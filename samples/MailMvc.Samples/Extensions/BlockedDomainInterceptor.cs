// <snippet:custom-interceptor>
using MailMvc.Mail;
using MailMvc.Mail.Interception;

namespace MailMvc.Samples.Extensions;

// Nothing is sent or queued to a blocked domain; the send's receipt says Stopped, with the reason.
public sealed class BlockedDomainInterceptor : IMailInterceptor
{
    public const string BlockedDomain = "blocked.example";

    public ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.SendTo.Any(to => EmailAddress.Parse(to).Domain.Equals(BlockedDomain, StringComparison.OrdinalIgnoreCase)))
        {
            context.Stop($"Mail to {BlockedDomain} is not allowed.");
        }

        return ValueTask.CompletedTask;
    }
}
// </snippet:custom-interceptor>
