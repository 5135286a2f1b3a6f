using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Outbox;

/// <summary>Stops start-up on outbox settings that cannot work, saying what to change.</summary>
internal sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    private readonly IOptions<MailOptions> _mail;

    public OutboxOptionsValidator(IOptions<MailOptions> mail) => _mail = mail;

    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.Provider == OutboxProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Mail:Outbox:Provider is PostgreSql but Mail:Outbox:ConnectionString is empty; give an Npgsql connection string.");
        }

        if (options.Connections < 1 || options.BatchSize < 1 || options.MaxAttempts < 1)
        {
            failures.Add("Mail:Outbox:Connections, BatchSize and MaxAttempts must each be 1 or more.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay || options.ClaimDuration <= TimeSpan.Zero
            || options.PollInterval <= TimeSpan.Zero || options.MaxAge <= TimeSpan.Zero)
        {
            failures.Add("Mail:Outbox's time spans must be positive, and RetryMaxDelay at least RetryBaseDelay.");
        }

        var timeout = _mail.Value.Timeout;
        if (options.ClaimDuration < 4 * timeout)
        {
            // Closing the old connection, connecting, logging in and sending may each take up to Timeout while a mail is claimed.
            failures.Add($"Mail:Outbox:ClaimDuration ({options.ClaimDuration}) must be at least four times Mail:Timeout " +
                $"({timeout}), or another instance could take over a mail that is still being sent.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
