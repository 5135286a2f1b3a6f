using MailMvc.Mail.Configuration;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary><see cref="MailOptionsValidator"/>'s rules for <c>Mail:Outbox</c>.</summary>
public sealed class OutboxOptionsValidationTests
{
    private readonly MailOptionsValidator _validator = new();

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionString_FailsAskingForOne()
    {
        var options = new MailOptions { Outbox = { Enabled = true, Provider = OutboxProvider.PostgreSql } };

        var result = _validator.Validate(null, options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("Mail:Outbox:ConnectionString is empty", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionStringButOutboxOff_Succeeds()
    {
        var options = new MailOptions { Outbox = { Enabled = false, Provider = OutboxProvider.PostgreSql } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SqliteWithoutConnectionString_Succeeds()
    {
        var options = new MailOptions { Outbox = { Enabled = true } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0, 20, 10)]
    [InlineData(2, 0, 10)]
    [InlineData(2, 20, 0)]
    public void Validate_ZeroConnectionsBatchSizeOrAttempts_Fails(int connections, int batchSize, int maxAttempts)
    {
        var options = new MailOptions { Outbox = { Enabled = true, Connections = connections, BatchSize = batchSize, MaxAttempts = maxAttempts } };

        var result = _validator.Validate(null, options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("must each be 1 or more", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryMaxDelayBelowBaseDelay_Fails()
    {
        var options = new MailOptions
        {
            Outbox = { Enabled = true, RetryBaseDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromSeconds(30) },
        };

        var result = _validator.Validate(null, options);

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("RetryMaxDelay at least RetryBaseDelay", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroClaimDuration_Fails()
    {
        var options = new MailOptions { Outbox = { Enabled = true, ClaimDuration = TimeSpan.Zero } };

        var result = _validator.Validate(null, options);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public void Validate_ClaimShorterThanFourTimeouts_FailsNamingBoth()
    {
        var options = new MailOptions { Timeout = TimeSpan.FromSeconds(30), Outbox = { Enabled = true, ClaimDuration = TimeSpan.FromMinutes(1) } };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Mail:Outbox:ClaimDuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("four times Mail:Timeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
