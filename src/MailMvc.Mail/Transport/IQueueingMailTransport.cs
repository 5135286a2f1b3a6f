namespace MailMvc.Mail.Transport;

/// <summary>
/// A transport that keeps messages and has another transport deliver them later, as the outbox does. Health checks
/// and developer pages probe <see cref="DeliveryTransport"/>, the transport that really reaches the server.
/// </summary>
public interface IQueueingMailTransport : IMailTransport
{
    /// <summary>The transport that delivers the queued messages.</summary>
    IMailTransport DeliveryTransport { get; }
}
