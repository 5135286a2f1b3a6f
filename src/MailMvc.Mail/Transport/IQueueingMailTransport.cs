namespace MailMvc.Mail.Transport;

/// <summary>
/// A transport that keeps messages and has another transport deliver them later, as the outbox does. Health checks
/// and developer pages probe <see cref="DeliveryTransport"/>, the transport that really reaches the server.
/// </summary>
public interface IQueueingMailTransport : IMailTransport
{
    /// <summary>The transport that delivers the queued messages.</summary>
    IMailTransport DeliveryTransport { get; }

    /// <summary>How many sessions a bulk send (<see cref="IMailer.SendManyAsync"/>) stores through at once, at most:
    /// it opens the fewer of this and the connections it was asked for. Its own workers deliver in parallel, so more
    /// sessions only help while one waits for its store (a commit to a database server); 1 by default, for a store
    /// that writes one transaction at a time (SQLite).</summary>
    int StoringSessions => 1;
}
