using System.Runtime.CompilerServices;

namespace MailMvc.Mail;

/// <summary>Shortcuts on <see cref="IMailer"/>.</summary>
public static class MailerExtensions
{
    /// <summary>Sends many messages with no state of the caller's; see <see cref="IMailer.SendManyAsync{TState}"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connections"/> is less than 1.</exception>
    public static IAsyncEnumerable<MessageSendResult> SendManyAsync(this IMailer mailer, IAsyncEnumerable<Message> messages,
        int connections = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        ArgumentNullException.ThrowIfNull(messages);
        return mailer.SendManyAsync(WithoutState(messages, cancellationToken), connections, cancellationToken);
    }

    private static async IAsyncEnumerable<(Message, object?)> WithoutState(IAsyncEnumerable<Message> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return (message, null);
        }
    }
}
