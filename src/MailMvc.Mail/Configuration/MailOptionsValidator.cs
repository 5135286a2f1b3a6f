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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
