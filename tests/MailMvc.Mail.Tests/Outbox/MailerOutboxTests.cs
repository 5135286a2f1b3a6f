namespace MailMvc.Mail.Tests.Outbox;

/// <summary>A <see cref="Mailer"/> built by hand has no delivery worker, so it refuses to queue.</summary>
public sealed class MailerOutboxTests
{
    [Fact]
    public void Constructor_OutboxEnabledWithoutHost_ThrowsInvalidOperationExceptionPointingToAddMail()
    {
        var options = new MailOptions { Server = "127.0.0.1", SuppressSend = false, Outbox = { Enabled = true } };

        var error = Assert.Throws<InvalidOperationException>(() => new Mailer(options));

        Assert.Contains("Mail:Outbox:Enabled", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddMail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OutboxEnabledButSendingSuppressed_CreatesAMailerThatDoesNotQueue()
    {
        var options = new MailOptions { SuppressSend = true, Outbox = { Enabled = true } };

        var mailer = new Mailer(options);

        Assert.False(mailer.IsQueued);
        Assert.Equal(MailDeliveryMethod.Suppressed, mailer.DeliveryMethod);
    }

    [Fact]
    public void Constructor_OutboxOff_CreatesAMailerThatDoesNotQueue()
    {
        var mailer = new Mailer(new MailOptions { Server = "127.0.0.1", SuppressSend = false });

        Assert.False(mailer.IsQueued);
    }
}
