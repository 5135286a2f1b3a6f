namespace MailMvc.Mail.Transport;

/// <summary>
/// A transport that hands every message on to another after doing something to it or around it (DKIM signing,
/// tracing). Pages and health checks that want to know what finally delivers look through it to <see cref="Inner"/>,
/// as they look through an <see cref="IQueueingMailTransport"/> to its <see cref="IQueueingMailTransport.DeliveryTransport"/>.
/// </summary>
public interface IMailTransportWrapper : IMailTransport
{
    /// <summary>The transport this one hands messages to.</summary>
    IMailTransport Inner { get; }
}
