using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary><see cref="OutboxOptionsValidator"/>'s rules for <c>Mail:Outbox</c>.</summary>
public sealed class OutboxOptionsValidationTests
{
    private static ValidateOptionsResult Validate(OutboxOptions outbox, MailOptions? mail = null) =>
        new OutboxOptionsValidator(Options.Create(mail ?? new MailOptions())).Validate(null, outbox);

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionString_FailsAskingForOne()
    {
        var options = new OutboxOptions { Enabled = true, Provider = OutboxProvider.PostgreSql };

        var result = Validate(options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("Mail:Outbox:ConnectionString is empty", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionStringButOutboxOff_Succeeds()
    {
        var options = new OutboxOptions { Enabled = false, Provider = OutboxProvider.PostgreSql };

        var result = Validate(options);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SqliteWithoutConnectionString_Succeeds()
    {
        var options = new OutboxOptions { Enabled = true };

        var result = Validate(options);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0, 20, 10)]
    [InlineData(2, 0, 10)]
    [InlineData(2, 20, 0)]
    public void Validate_ZeroConnectionsBatchSizeOrAttempts_Fails(int connections, int batchSize, int maxAttempts)
    {
        var options = new OutboxOptions { Enabled = true, Connections = connections, BatchSize = batchSize, MaxAttempts = maxAttempts };

        var result = Validate(options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("must each be 1 or more", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryMaxDelayBelowBaseDelay_Fails()
    {
        var options = new OutboxOptions { Enabled = true, RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromSeconds(30) };

        var result = Validate(options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("RetryMaxDelay at least RetryBaseDelay", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroClaimDuration_Fails()
    {
        var options = new OutboxOptions { Enabled = true, ClaimDuration = TimeSpan.Zero };

        var result = Validate(options);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Validate_ClaimShorterThanFourTimeouts_FailsNamingBoth()
    {
        var options = new OutboxOptions { Enabled = true, ClaimDuration = TimeSpan.FromMinutes(1) };

        var result = Validate(options, new MailOptions { Timeout = TimeSpan.FromSeconds(30) });

        Assert.True(result.Failed);
        Assert.Contains("Mail:Outbox:ClaimDuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("four times Mail:Timeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
