using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Configuration;

/// <summary>Stops start-up with a clear message when the mail settings cannot work.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    private static void ValidateOutbox(OutboxOptions outbox, List<string> failures)
    {
        if (!outbox.Enabled)
        {
            return;
        }

        if (outbox.Provider == OutboxProvider.PostgreSql && string.IsNullOrWhiteSpace(outbox.ConnectionString))
        {
            failures.Add("Mail:Outbox:Provider is PostgreSql but Mail:Outbox:ConnectionString is empty; give an Npgsql connection string.");
        }

        if (outbox.Connections < 1 || outbox.BatchSize < 1 || outbox.MaxAttempts < 1)
        {
            failures.Add("Mail:Outbox:Connections, BatchSize and MaxAttempts must each be 1 or more.");
        }

        if (outbox.RetryBaseDelay <= TimeSpan.Zero || outbox.RetryMaxDelay < outbox.RetryBaseDelay || outbox.ClaimDuration <= TimeSpan.Zero
            || outbox.PollInterval <= TimeSpan.Zero || outbox.MaxAge <= TimeSpan.Zero)
        {
            failures.Add("Mail:Outbox's time spans must be positive, and RetryMaxDelay at least RetryBaseDelay.");
        }
    }

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

        ValidateOutbox(options.Outbox, failures);
        if (options.Outbox.Enabled && options.Outbox.ClaimDuration < 4 * options.Timeout)
        {
            // Closing the old connection, connecting, logging in and sending may each take up to Timeout while a mail is claimed.
            failures.Add($"Mail:Outbox:ClaimDuration ({options.Outbox.ClaimDuration}) must be at least four times Mail:Timeout " +
                $"({options.Timeout}), or another instance could take over a mail that is still being sent.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
