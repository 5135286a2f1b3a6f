using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary><see cref="RetryPolicy"/>: when a failed attempt is tried again, and which failures are final.</summary>
public sealed class RetryPolicyTests
{
    private static readonly OutboxOptions s_options = new()
    {
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(15),
    };

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 80)]
    [InlineData(7, 640)]
    public void Delay_HighestJitter_DoublesWithEachAttempt(int attempts, int seconds)
    {
        var delay = RetryPolicy.Delay(attempts, s_options, random: 1.0);

        Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(30)]
    [InlineData(10_000)]
    public void Delay_ManyAttempts_CappedAtRetryMaxDelay(int attempts)
    {
        var delay = RetryPolicy.Delay(attempts, s_options, random: 1.0);

        Assert.Equal(s_options.RetryMaxDelay, delay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50)]
    public void Delay_LowestJitter_IsHalfTheBackOff(int attempts)
    {
        var full = RetryPolicy.Delay(attempts, s_options, random: 1.0);

        var delay = RetryPolicy.Delay(attempts, s_options, random: 0.0);

        Assert.Equal(full / 2, delay);
    }

    [Fact]
    public void Delay_RandomJitter_StaysWithinHalfAndAllOfTheBackOff()
    {
        var random = new Random(42);

        var delays = Enumerable.Range(0, 1000).Select(_ => RetryPolicy.Delay(3, s_options, random.NextDouble())).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)));
        // Jitter spreads retries: not all instances come back at the same moment.
        Assert.True(delays.Distinct().Count() > 900);
    }

    [Fact]
    public void Delay_NoAttemptYet_IsTheBaseDelay()
    {
        var delay = RetryPolicy.Delay(0, s_options, random: 1.0);

        Assert.Equal(s_options.RetryBaseDelay, delay);
    }

    public static TheoryData<Exception> Permanent => new()
    {
        new MailRecipientRefusedException("nobody@example.com", "refused", "550 5.1.1 no such user"),
        new MailDeliveryException("refused for good", "554 5.6.0 message refused", isTransient: false),
        new FormatException("The stored mail cannot be read."),
    };

    public static TheoryData<Exception> Transient => new()
    {
        new MailTemporaryFailureException("try later", "451 4.3.0 Try again later"),
        new MailServerUnreachableException("Could not connect"),
        new MailTimeoutException("no answer"),
        new MailDeliveryException("connection lost", isTransient: true),
        new MailAuthenticationException("login rejected", "535 5.7.8 bad credentials"),
        new MailSecurityException("certificate not trusted"),
    };

    [Theory]
    [MemberData(nameof(Permanent))]
    public void IsPermanent_RefusalNoRetryChanges_IsTrue(Exception error)
    {
        Assert.True(RetryPolicy.IsPermanent(error));
    }

    [Theory]
    [MemberData(nameof(Transient))]
    public void IsPermanent_FailureThatMayPassLater_IsFalse(Exception error)
    {
        Assert.False(RetryPolicy.IsPermanent(error));
    }
}
