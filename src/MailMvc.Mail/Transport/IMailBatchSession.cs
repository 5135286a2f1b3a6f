namespace MailMvc.Mail.Transport;

/// <summary>
/// A session that takes several messages in one step, all or none: the outbox stores a batch in one transaction.
/// <see cref="IMailer.SendManyAsync{TState}"/> hands such a session up to <see cref="MaxBatchSize"/> messages at a
/// time instead of one by one.
/// </summary>
public interface IMailBatchSession : IMailTransportSession
{
    /// <summary>The most messages one <see cref="SendBatchAsync"/> call takes.</summary>
    int MaxBatchSize { get; }

    /// <summary>Takes every message of the batch, or none.</summary>
    /// <returns>One receipt per message, in order.</returns>
    /// <exception cref="MailDeliveryException">None of them was taken.</exception>
    Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);
}
