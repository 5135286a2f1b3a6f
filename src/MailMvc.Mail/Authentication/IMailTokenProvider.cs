namespace MailMvc.Mail.Authentication;

/// <summary>
/// Gets the OAuth2 access tokens an SMTP login with XOAUTH2 or OAUTHBEARER sends (<see cref="MailAuthentication.OAuth2"/>).
/// MailMvc has one for Microsoft 365 (client credentials) and one for a Google service account; register your own with
/// <see cref="MailBuilder.UseTokenProvider{TProvider}()"/> and set <c>Mail:OAuth2:Provider</c> to <c>Custom</c>.
/// </summary>
/// <remarks>MailMvc keeps the tokens it is given until shortly before they expire (5 minutes, or a tenth of their
/// lifetime when that is shorter), so a provider need not cache. Calls may come from several threads at once.</remarks>
public interface IMailTokenProvider
{
    /// <summary>Gets an access token for the login <paramref name="request"/> describes.</summary>
    /// <param name="request">The server and the mailbox that logs in.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token and when it expires.</returns>
    /// <exception cref="MailAuthenticationException">No token can be had; the message says what to check. Any other
    /// exception (but a <see cref="MailDeliveryException"/> and the caller's cancellation, which pass as they are) reaches
    /// the caller as a <see cref="MailAuthenticationException"/> (a timeout of the provider's own as a
    /// <see cref="MailTimeoutException"/>) that names the provider and repeats the message, with the exception inside.
    /// The message reaches the caller (an app may show it) and the log, and the outbox stores it with the attempt: keep
    /// secrets (a token endpoint's response, a client secret) out of it.</exception>
    Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>Tells the provider that <paramref name="token"/> is no longer good (the server refused it, or it is about
    /// to expire): the next <see cref="GetTokenAsync"/> for <paramref name="request"/> must fetch a fresh one, not return
    /// it from a cache.</summary>
    /// <param name="request">The login the token was for.</param>
    /// <param name="token">The token to forget.</param>
    void Invalidate(MailTokenRequest request, MailAccessToken token);
}
