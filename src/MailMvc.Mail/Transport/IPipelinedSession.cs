namespace MailMvc.Mail.Transport;

/// <summary>A session that can send several messages in one pipelined exchange, each with its own outcome (SMTP with
/// PIPELINING on a send thread: <see cref="PipelinedSmtpExchange"/>).</summary>
internal interface IPipelinedSession : IMailTransportSession
{
    /// <summary>The most messages one <see cref="SendPipelined"/> call may take now; 0 when the session cannot pipeline
    /// (not on a send thread, a TLS connection, a server without PIPELINING, or no longer usable).</summary>
    int PipelineDepth { get; }

    /// <summary>Sends <paramref name="messages"/> in order, blocking the send thread, and reports each one's outcome to
    /// <paramref name="outcome"/> as soon as it is known, in order: a receipt, or the <see cref="MailDeliveryException"/>
    /// (or other exception, for a message that cannot be sent) that <see cref="IMailTransportSession.SendAsync"/> would
    /// have thrown.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="outcome">Told each message's outcome.</param>
    /// <param name="cancellationToken">Checked before each message: once set, the message under way finishes and no
    /// other starts.</param>
    /// <returns>How many messages, from the first, have had their outcome: at least one unless cancelled. The rest
    /// never reached the server beyond their envelope (the connection was lost before their content went out), so they
    /// may go on a new session.</returns>
    int SendPipelined(IReadOnlyList<OutgoingMessage> messages, MessageOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>What became of the message at <paramref name="index"/> of a pipelined run: its receipt, or why it was not taken.</summary>
internal delegate void MessageOutcome(int index, TransportReceipt? receipt, Exception? error);
