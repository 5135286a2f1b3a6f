using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace MailMvc.Mail.Authentication;

/// <summary>Tokens for Gmail's SMTP from a Google service account's JSON key file, impersonating a Workspace user
/// (domain-wide delegation), through Google.Apis.Auth. The token endpoint is the key file's <c>token_uri</c>.</summary>
internal sealed class GoogleMailTokenProvider : IMailTokenProvider
{
    private readonly GoogleOAuth2Options _options;
    private readonly string? _defaultUser;
    private readonly Lazy<ServiceAccountCredential> _credential;

    /// <param name="options">The key file and the user.</param>
    /// <param name="defaultUser">The user to impersonate when <see cref="GoogleOAuth2Options.User"/> is unset.</param>
    public GoogleMailTokenProvider(GoogleOAuth2Options options, string? defaultUser)
    {
        _options = options;
        _defaultUser = defaultUser;
        // A key file that could not be read is read again at the next login (it may have been fixed), not remembered as failed.
        _credential = new Lazy<ServiceAccountCredential>(Load, LazyThreadSafetyMode.PublicationOnly);
    }

    private string? User => string.IsNullOrWhiteSpace(_options.User) ? _defaultUser : _options.User;

    public async Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ServiceAccountCredential credential;
        try
        {
            credential = _credential.Value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new MailAuthenticationException(
                $"Could not read the Google service account key file '{_options.KeyFilePath}' to log in to {request.Server}:{request.Port}: " +
                $"{e.Message} Check Mail:OAuth2:Google:KeyFilePath: a service account's JSON key, readable by the app.", null, e);
        }

        try
        {
            // Asked for explicitly: the cache in front (CachingMailTokenProvider) decides when a new token is due.
            await credential.RequestAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TokenResponseException or HttpRequestException)
        {
            throw new MailAuthenticationException(
                $"Could not get an OAuth2 token from Google for the service account {credential.Id} acting as '{User}' to log in to " +
                $"{request.Server}:{request.Port}: {e.Message} Check Mail:OAuth2:Google:KeyFilePath and that the service account has " +
                $"domain-wide delegation for the scope {GoogleOAuth2Options.DefaultScope} in the Workspace admin console.", null, e);
        }

        var token = credential.Token;
        var issued = new DateTimeOffset(DateTime.SpecifyKind(token.IssuedUtc, DateTimeKind.Utc));
        return new MailAccessToken(token.AccessToken, issued.AddSeconds(token.ExpiresInSeconds ?? 3600));
    }

    public void Invalidate(MailTokenRequest request, MailAccessToken token)
    {
        // Nothing kept here: every GetTokenAsync asks Google for a new token.
    }

    private ServiceAccountCredential Load()
    {
        var scopes = _options.Scopes is { Length: > 0 } given ? given : [GoogleOAuth2Options.DefaultScope];
        return (ServiceAccountCredential)CredentialFactory.FromFile<ServiceAccountCredential>(_options.KeyFilePath!)
            .ToGoogleCredential().CreateScoped(scopes).CreateWithUser(User).UnderlyingCredential;
    }
}
