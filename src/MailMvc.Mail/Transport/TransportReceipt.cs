namespace MailMvc.Mail.Transport;

/// <summary>What a transport says about one delivered message.</summary>
/// <param name="Reply">The server's final reply (for SMTP, the answer to the message data), or where the message went.</param>
/// <param name="Transcript">The SMTP exchange of this delivery when Debug is on, otherwise null.</param>
internal sealed record TransportReceipt(string? Reply, string? Transcript);
