using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>A message after the interceptors: built and ready for the transport, or stopped with a reason (suppressed:
/// every recipient is on the suppression list).</summary>
internal readonly record struct PreparedMessage(MimeMessage? Mime, Envelope? Envelope, string? StopReason, bool Suppressed = false);
