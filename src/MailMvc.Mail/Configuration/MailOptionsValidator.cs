using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Configuration;

/// <summary>Stops start-up with a clear message when the mail settings cannot work.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (options.UseTls && options.UseSsl)
        {
            failures.Add("Mail:UseTls and Mail:UseSsl are both on. Choose one: UseTls upgrades a plain connection " +
                "with STARTTLS (usually port 587), UseSsl starts TLS on connect (usually port 465).");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Mail:Port is {options.Port}; a port is between 1 and 65535.");
        }

        if (!string.IsNullOrWhiteSpace(options.DefaultSender) && !EmailAddress.IsValid(options.DefaultSender))
        {
            failures.Add($"Mail:DefaultSender '{options.DefaultSender}' is not an email address; write \"addr\" or \"Name <addr>\".");
        }

        if (options.MaxEmails is < 1)
        {
            failures.Add($"Mail:MaxEmails is {options.MaxEmails}; leave it unset for no limit, or give 1 or more.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"Mail:Timeout is {options.Timeout}; give a positive time span such as 00:00:30.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            failures.Add("Mail:Password is set but Mail:Username is not; set both to log in.");
        }

        if (options.Dkim.IsEnabled)
        {
            ValidateDkim(options.Dkim, failures);
        }

        for (var i = 0; i < options.Servers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Servers[i].Server))
            {
                failures.Add($"Mail:Servers:{i}:Server is empty; give each server's host name.");
            }
        }

        if (options.Servers.Count == 0)
        {
            ValidateOAuth2(options, "Mail", failures);
        }

        for (var i = 0; i < options.Servers.Count; i++)
        {
            // A server without an OAuth2 section of its own uses Mail:OAuth2, so a mistake there is named there, once.
            ValidateOAuth2(options.For(options.Servers[i]), options.Servers[i].OAuth2 is null ? "Mail" : $"Mail:Servers:{i}", failures);
        }

        ValidateBudget(options.RateLimit, "Mail:RateLimit", failures);
        for (var i = 0; i < options.Servers.Count; i++)
        {
            ValidateBudget(options.Servers[i].RateLimit, $"Mail:Servers:{i}:RateLimit", failures);
        }

        if (options.DailyLimit is < 1)
        {
            failures.Add($"Mail:DailyLimit is {options.DailyLimit}; give at least 1 mail a day, or leave it unset for no brake.");
        }

        if (options.ServerCooldown <= TimeSpan.Zero)
        {
            failures.Add($"Mail:ServerCooldown is {options.ServerCooldown}; give a positive time span such as 00:00:30.");
        }

        if (options.PoolSize is < 0 or > 100)
        {
            failures.Add($"Mail:PoolSize is {options.PoolSize}; give how many idle connections to keep, 0 (none) to 100.");
        }

        if (options.PoolIdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Mail:PoolIdleTimeout is {options.PoolIdleTimeout}; give a positive time span such as 00:00:30.");
        }

        if (!string.IsNullOrWhiteSpace(options.RedirectTo) && !EmailAddress.IsValid(options.RedirectTo))
        {
            failures.Add($"Mail:RedirectTo '{options.RedirectTo}' is not an email address; give the one address all mail should go to, or leave it unset.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Distinct());
    }

    private static void ValidateDkim(Dkim.DkimOptions dkim, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(dkim.Selector))
        {
            failures.Add("Mail:Dkim:Domain is set but Mail:Dkim:Selector is not: give the selector the public key is published under.");
        }

        if (dkim.Headers.Count > 0 && !dkim.Headers.Contains("From", StringComparer.OrdinalIgnoreCase))
        {
            failures.Add("Mail:Dkim:Headers must include From: a DKIM signature always covers it.");
        }

        try
        {
            Dkim.DkimKey.Load(dkim);
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }
    }

    private static void ValidateOAuth2(MailOptions server, string section, List<string> failures)
    {
        if (server.Authentication != MailAuthentication.OAuth2)
        {
            return;
        }

        var oauth = server.OAuth2;
        var prefix = $"{section}:OAuth2";
        if (string.IsNullOrWhiteSpace(server.Username))
        {
            failures.Add($"Mail:Authentication is OAuth2 for {server.SmtpHost} but no Username is set: give the mailbox to log in as " +
                "(Mail:Username, or the server's own Mail:Servers:N:Username).");
        }

        if (string.IsNullOrWhiteSpace(oauth.Provider))
        {
            failures.Add($"Mail:Authentication is OAuth2 but {prefix}:Provider is not set: set it to Microsoft (Microsoft 365), " +
                "Google (a Google Workspace service account) or Custom (your IMailTokenProvider, registered with UseTokenProvider<T>()).");
        }
        else if (oauth.Is(Authentication.OAuth2Options.MicrosoftProvider))
        {
            ValidateMicrosoft(oauth.Microsoft, $"{prefix}:Microsoft", failures);
        }
        else if (oauth.Is(Authentication.OAuth2Options.GoogleProvider))
        {
            ValidateGoogle(oauth.Google, $"{prefix}:Google", failures);
        }
        else if (!oauth.Is(Authentication.OAuth2Options.CustomProvider))
        {
            failures.Add($"{prefix}:Provider is '{oauth.Provider}', which MailMvc does not know: give Microsoft, Google or Custom " +
                "(for any other, write an IMailTokenProvider and register it with UseTokenProvider<T>()).");
        }
    }

    private static void ValidateMicrosoft(Authentication.MicrosoftOAuth2Options microsoft, string prefix, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(microsoft.TenantId))
        {
            failures.Add($"{prefix}:TenantId is not set: give the directory (tenant) ID from the app registration's overview in " +
                "Microsoft Entra ID, or the tenant's domain (contoso.onmicrosoft.com).");
        }

        if (string.IsNullOrWhiteSpace(microsoft.ClientId))
        {
            failures.Add($"{prefix}:ClientId is not set: give the application (client) ID from the app registration's overview.");
        }

        var hasSecret = !string.IsNullOrWhiteSpace(microsoft.ClientSecret);
        var hasCertificate = !string.IsNullOrWhiteSpace(microsoft.CertificatePath);
        if (!hasSecret && !hasCertificate)
        {
            failures.Add($"{prefix} has neither ClientSecret nor CertificatePath: give the client secret (in user-secrets or the " +
                $"environment, {prefix.Replace(":", "__", StringComparison.Ordinal)}__ClientSecret) or the path of the certificate's .pfx file.");
        }
        else if (hasSecret && hasCertificate)
        {
            failures.Add($"{prefix} has both ClientSecret and CertificatePath: give one, so it is clear which the app signs in with.");
        }
        else if (hasCertificate && !File.Exists(microsoft.CertificatePath))
        {
            failures.Add($"{prefix}:CertificatePath '{microsoft.CertificatePath}' does not exist: give the path of the .pfx file " +
                "with the certificate and private key uploaded to the app registration.");
        }

        if (!string.IsNullOrWhiteSpace(microsoft.Authority)
            && !(Uri.TryCreate(microsoft.Authority, UriKind.Absolute, out var authority) && authority.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add($"{prefix}:Authority '{microsoft.Authority}' is not an https address: give the sign-in host of your cloud, " +
                "such as https://login.microsoftonline.us, or leave it unset for the public cloud.");
        }
    }

    private static void ValidateGoogle(Authentication.GoogleOAuth2Options google, string prefix, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(google.KeyFilePath))
        {
            failures.Add($"{prefix}:KeyFilePath is not set: give the path of the service account's JSON key file " +
                "(Google Cloud console, IAM, Service accounts, Keys), kept out of git.");
        }
        else if (!File.Exists(google.KeyFilePath))
        {
            failures.Add($"{prefix}:KeyFilePath '{google.KeyFilePath}' does not exist: give the path of the service account's JSON key file.");
        }
    }

    private static void ValidateBudget(RateLimitOptions? limits, string section, List<string> failures)
    {
        foreach (var (name, value) in new[] { ("PerSecond", limits?.PerSecond), ("PerMinute", limits?.PerMinute), ("PerDay", limits?.PerDay) })
        {
            if (value is < 1)
            {
                failures.Add($"{section}:{name} is {value}; give at least 1, or leave it unset for no limit.");
            }
        }
    }
}
