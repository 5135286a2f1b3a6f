namespace MailMvc.Mail.Authentication;

/// <summary>The login an <see cref="IMailTokenProvider"/> is asked a token for.</summary>
/// <param name="Server">The SMTP host.</param>
/// <param name="Port">The SMTP port.</param>
/// <param name="Username">The mailbox that logs in (<c>Mail:Username</c>).</param>
public sealed record MailTokenRequest(string Server, int Port, string Username);
