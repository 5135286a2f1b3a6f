namespace MailMvc.Mail.Tests.Integration;

/// <summary>Plain SMTP delivery to a real server: content, envelope, Bcc and reconnecting after MaxEmails.</summary>
public sealed class SmtpDeliveryTests
{
    [Fact]
    public async Task SendAsync_PlainServer_ServerReceivesMessageWithSubjectIntact()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var mailer = new Mailer(server.CreateMailOptions());
        const string Subject = "Grüße aus MailMvc ✓ — plain send";

        await mailer.SendAsync(new Message(Subject, ["alice@example.com"], body: "Hello, Alice."));

        var received = Assert.Single(server.Messages);
        Assert.Equal("sender@example.com", received.MailFrom);
        Assert.Equal(["alice@example.com"], received.RcptTos);
        var mime = received.Parse();
        Assert.Equal(Subject, mime.Subject);
        Assert.Contains("Hello, Alice.", mime.TextBody, StringComparison.Ordinal);
        Assert.False(received.Tls);
    }

    [Fact]
    public async Task SendAsync_BccRecipients_DeliveredInEnvelopeButNotInHeaders()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var mailer = new Mailer(server.CreateMailOptions());

        await mailer.SendAsync(new Message("Bcc check", ["to@example.com"], body: "Hi", cc: ["cc@example.com"], bcc: ["hidden@example.com"]));

        var received = Assert.Single(server.Messages);
        Assert.Equal(["to@example.com", "cc@example.com", "hidden@example.com"], received.RcptTos);
        var mime = received.Parse();
        Assert.False(mime.Headers.Contains("Bcc"));
        Assert.DoesNotContain("hidden@example.com", received.Data, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ConnectAsync_MaxEmailsThreeAndTenMessages_ServerSeesFourConnectionsAndTenMessages()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.MaxEmails = 3;
        var mailer = new Mailer(options);

        await using (var connection = await mailer.ConnectAsync())
        {
            for (var i = 1; i <= 10; i++)
            {
                await connection.SendAsync(new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi"));
            }

            Assert.Equal(10, connection.SentCount);
        }

        Assert.Equal(4, server.ConnectionCount);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"Bulk {i}"), server.Messages.Select(m => m.Parse().Subject));
    }

    [Fact]
    public async Task SendAsync_LocalDomainSet_ServerSeesItInEhlo()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.LocalDomain = "instance-7.example.com";
        var mailer = new Mailer(options);

        await mailer.SendAsync(new Message("EHLO name", ["alice@example.com"], body: "Hi"));

        Assert.Equal("instance-7.example.com", Assert.Single(server.Messages).ClientName);
    }
}
