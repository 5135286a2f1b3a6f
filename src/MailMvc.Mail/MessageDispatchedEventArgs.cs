using MimeKit;

namespace MailMvc.Mail;

/// <summary>Data of the <see cref="IMailer.Dispatched"/> event.</summary>
public sealed class MessageDispatchedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public MessageDispatchedEventArgs(Message message, MimeMessage mimeMessage, MailDeliveryMethod deliveryMethod, string? transcript)
    {
        Message = message;
        MimeMessage = mimeMessage;
        DeliveryMethod = deliveryMethod;
        Transcript = transcript;
    }

    /// <summary>The message as the application built it.</summary>
    public Message Message { get; }

    /// <summary>The MIME message as it was written.</summary>
    public MimeMessage MimeMessage { get; }

    /// <summary>Where it went.</summary>
    public MailDeliveryMethod DeliveryMethod { get; }

    /// <summary>True when the message was stored in the outbox for the background worker to deliver
    /// (<see cref="OutboxOptions.Enabled"/>), rather than delivered already.</summary>
    public bool Queued { get; init; }

    /// <summary>The SMTP exchange for this message (secrets redacted, content summarised) when Debug is on; otherwise null.</summary>
    public string? Transcript { get; }
}
