using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>A message ready for a transport: its MIME form and its envelope.</summary>
/// <param name="Message">The message as it goes on the wire.</param>
/// <param name="Envelope">Whom it is from and to, for the transport.</param>
public sealed record OutgoingMessage(MimeMessage Message, Envelope Envelope);
