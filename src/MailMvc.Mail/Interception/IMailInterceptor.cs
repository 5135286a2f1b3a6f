namespace MailMvc.Mail.Interception;

/// <summary>
/// Runs on every message before it is checked and sent or queued, in the order registered
/// (<see cref="MailBuilder.AddInterceptor{TInterceptor}()"/>), like Rails' interceptors and Laravel's
/// <c>MessageSending</c>. It may change <see cref="MailSendingContext.Message"/> or stop it with
/// <see cref="MailSendingContext.Stop"/>; <see cref="IMailer.Dispatched"/> stays the observer of what was sent.
/// </summary>
/// <remarks>One instance serves every message, so it must be safe for concurrent use: concurrent sends call it at once,
/// and <see cref="IMailer.SendManyAsync{TState}"/> on several connections runs it for several messages at once, each on
/// the connection's thread that takes the message, not in the sequence's order.</remarks>
public interface IMailInterceptor
{
    /// <summary>Looks at, changes or stops one message.</summary>
    /// <param name="context">The message and what to do with it.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken);
}
