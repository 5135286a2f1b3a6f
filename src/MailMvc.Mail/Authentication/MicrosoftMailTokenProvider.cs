using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace MailMvc.Mail.Authentication;

/// <summary>Tokens from Microsoft Entra ID with the client-credentials flow (MSAL's
/// <see cref="IConfidentialClientApplication.AcquireTokenForClient"/>), for Exchange Online's SMTP. MSAL keeps its own
/// token cache; a refused or expiring token makes the next call skip it.</summary>
internal sealed class MicrosoftMailTokenProvider : IMailTokenProvider
{
    private readonly IConfidentialClientApplication _application;
    private readonly MicrosoftOAuth2Options _options;
    private readonly string[] _scopes;
    private volatile bool _forceRefresh;

    /// <param name="options">The app registration.</param>
    /// <param name="httpClientFactory">The HTTP client MSAL uses (a proxy, a private certificate authority); null means
    /// MSAL's own.</param>
    public MicrosoftMailTokenProvider(MicrosoftOAuth2Options options, IMsalHttpClientFactory? httpClientFactory)
    {
        _options = options;
        _scopes = options.Scopes is { Length: > 0 } scopes ? scopes : [MicrosoftOAuth2Options.DefaultScope];
        var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId);
        builder = string.IsNullOrWhiteSpace(options.CertificatePath)
            ? builder.WithClientSecret(options.ClientSecret)
            : builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword));
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            builder = builder.WithAuthority(AzureCloudInstance.AzurePublic, options.TenantId);
        }
        else
        {
            // A host of its own (another cloud, a test endpoint) is trusted as given, not looked up at login.microsoftonline.com.
            builder = builder.WithAuthority($"{options.Authority.TrimEnd('/')}/{options.TenantId}", validateAuthority: false)
                .WithInstanceDiscovery(false);
        }

        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        _application = builder.Build();
    }

    public async Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var forceRefresh = _forceRefresh;
        _forceRefresh = false;
        try
        {
            var result = await _application.AcquireTokenForClient(_scopes).WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return new MailAccessToken(result.AccessToken, result.ExpiresOn);
        }
        catch (Exception e) when (e is MsalException or HttpRequestException)
        {
            _forceRefresh = forceRefresh;
            // MSAL's messages name the problem (AADSTS codes) and never carry the secret.
            throw new MailAuthenticationException(
                $"Could not get an OAuth2 token from Microsoft Entra ID for tenant '{_options.TenantId}' and client '{_options.ClientId}' " +
                $"to log in to {request.Server}:{request.Port}: {e.Message} Check Mail:OAuth2:Microsoft (TenantId, ClientId, ClientSecret or " +
                "CertificatePath) and that the app has the SMTP.SendAsApp permission with admin consent.", null, e);
        }
    }

    public void Invalidate(MailTokenRequest request, MailAccessToken token) => _forceRefresh = true;
}
