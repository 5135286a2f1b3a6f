using MailMvc.Mail;
using MailMvc.Mail.Authentication;

namespace MailMvc.Samples.Extensions;

// <snippet:token-provider>
// Mail:Authentication=OAuth2 and Mail:OAuth2:Provider=Custom: tokens from wherever your organisation keeps them.
// MailMvc caches each one until shortly before it expires, and calls Invalidate when a server refused it.
// Throw MailAuthenticationException with a sentence saying what to check; any other exception GetTokenAsync throws (but
// the caller's cancellation) reaches the caller as a MailAuthenticationException naming this class (a timeout as a
// MailTimeoutException), with yours inside, and the outbox retries it. Its message reaches the caller and the log, and is
// stored with the outbox's attempt: keep secrets out of it.
public sealed class VaultTokenProvider(IHttpClientFactory http) : IMailTokenProvider
{
    public async Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = http.CreateClient(nameof(VaultTokenProvider));
        using var response = await client.GetAsync(new Uri($"smtp-token/{Uri.EscapeDataString(request.Username)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new MailAuthenticationException($"The token vault answered {(int)response.StatusCode} for {request.Username}; check its role for the mailer.");
        }

        var token = await response.Content.ReadAsStringAsync(cancellationToken);
        return new MailAccessToken(token, DateTimeOffset.UtcNow.AddMinutes(50));
    }

    public void Invalidate(MailTokenRequest request, MailAccessToken token)
    {
        // Nothing cached here: the next GetTokenAsync asks the vault again.
    }
}
// </snippet:token-provider>
