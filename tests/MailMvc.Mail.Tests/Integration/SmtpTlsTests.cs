namespace MailMvc.Mail.Tests.Integration;

/// <summary>STARTTLS and implicit TLS against a real server, and that TLS is never silently dropped.</summary>
public sealed class SmtpTlsTests
{
    [Fact]
    public async Task SendAsync_UseTlsAndServerOffersStartTls_MessageArrivesOverTls()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true });
        var options = server.CreateMailOptions();
        options.UseTls = true;
        var mailer = new Mailer(options);

        await mailer.SendAsync(new Message("Over STARTTLS", ["alice@example.com"], body: "Hi"));

        var received = Assert.Single(server.Messages);
        Assert.True(received.Tls);
        Assert.Equal("Over STARTTLS", received.Parse().Subject);
    }

    [Fact]
    public async Task SendAsync_UseTlsAndServerWithoutStartTls_ThrowsMailSecurityExceptionAndSendsNothing()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.UseTls = true;
        var mailer = new Mailer(options);

        await Assert.ThrowsAsync<MailSecurityException>(
            () => mailer.SendAsync(new Message("Must not leak", ["alice@example.com"], body: "Hi")));

        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_UseTlsAndUntrustedCertificate_ThrowsMailSecurityExceptionAndSendsNothing()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true });
        var options = server.CreateMailOptions();
        options.UseTls = true;
        options.ServerCertificateValidationCallback = null;
        var mailer = new Mailer(options);

        await Assert.ThrowsAsync<MailSecurityException>(
            () => mailer.SendAsync(new Message("Must not leak", ["alice@example.com"], body: "Hi")));

        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_UseSslAndImplicitTlsServer_MessageArrivesOverTls()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true });
        var options = server.CreateMailOptions();
        options.UseSsl = true;
        var mailer = new Mailer(options);

        await mailer.SendAsync(new Message("Over implicit TLS", ["alice@example.com"], body: "Hi"));

        var received = Assert.Single(server.Messages);
        Assert.True(received.Tls);
        Assert.Equal("Over implicit TLS", received.Parse().Subject);
    }

    [Fact]
    public async Task SendAsync_UseSslAgainstPlainServer_ThrowsMailSecurityExceptionAndSendsNothing()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.UseSsl = true;
        var mailer = new Mailer(options);

        await Assert.ThrowsAsync<MailSecurityException>(
            () => mailer.SendAsync(new Message("Must not leak", ["alice@example.com"], body: "Hi")));

        Assert.Empty(server.Messages);
    }
}
