using MimeKit;

namespace MailMvc.Mail;

/// <summary>Data of the <see cref="IMailer.Dispatched"/> event.</summary>
public sealed class MessageDispatchedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MessageDispatchedEventArgs(Message message, MimeMessage mimeMessage, MailReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(mimeMessage);
        ArgumentNullException.ThrowIfNull(receipt);
        Message = message;
        MimeMessage = mimeMessage;
        Receipt = receipt;
    }

    /// <summary>The message as the application built it (after the interceptors).</summary>
    public Message Message { get; }

    /// <summary>The MIME message as it was written.</summary>
    public MimeMessage MimeMessage { get; }

    /// <summary>What became of it: delivered, queued or suppressed, with the transport's reply.</summary>
    public MailReceipt Receipt { get; }

    /// <summary>True when the message was stored in the outbox for a background worker to deliver, rather than
    /// delivered already.</summary>
    public bool Queued => Receipt.Disposition == MailDisposition.Queued;

    /// <summary>The SMTP exchange for this message (secrets redacted, content summarised) when Debug is on; otherwise null.</summary>
    public string? Transcript => Receipt.Transcript;
}
