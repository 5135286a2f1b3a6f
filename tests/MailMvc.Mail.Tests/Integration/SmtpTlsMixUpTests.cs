namespace MailMvc.Mail.Tests.Integration;

/// <summary>The TLS settings a newcomer gets wrong, against real servers: each says which setting to change, and
/// none is a passing problem worth retrying.</summary>
public sealed class SmtpTlsMixUpTests
{
    [Fact]
    public async Task SendAsync_ServerRequiresStartTlsButUseTlsOff_SaysToSetUseTlsAndIsNotTransient()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true, RequireStartTls = true });
        var mailer = new Mailer(server.CreateMailOptions());

        var error = await Assert.ThrowsAsync<MailSecurityException>(() => mailer.SendAsync(new Message("Hi", ["a@example.com"], body: "Hi")));

        Assert.Contains("requires STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Mail:UseTls (MAIL_USE_TLS) to true", error.Message, StringComparison.Ordinal);
        Assert.Contains("STARTTLS", error.ServerReply, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_UseTlsAgainstAnImplicitTlsPort_SaysToUseUseSslInstead()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { ImplicitTls = true });
        var options = server.CreateMailOptions();
        options.UseTls = true;
        options.Timeout = TimeSpan.FromSeconds(1);

        var error = await Assert.ThrowsAsync<MailSecurityException>(
            () => new Mailer(options).SendAsync(new Message("Hi", ["a@example.com"], body: "Hi")));

        Assert.Contains("expects TLS from the first byte", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Mail:UseSsl (MAIL_USE_SSL) to true instead of Mail:UseTls", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task SendAsync_UseSslAgainstAPlainTextPort_SaysToUseUseTlsInstead()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true });
        var options = server.CreateMailOptions();
        options.UseSsl = true;

        var error = await Assert.ThrowsAsync<MailSecurityException>(
            () => new Mailer(options).SendAsync(new Message("Hi", ["a@example.com"], body: "Hi")));

        Assert.Contains("greets in plain text", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Mail:UseTls (MAIL_USE_TLS) to true instead of Mail:UseSsl", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_SilentServerWithoutTls_StaysATimeout()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Silent = true });
        var options = server.CreateMailOptions();
        options.Timeout = TimeSpan.FromSeconds(1);

        // A server that says nothing and does not speak TLS either is slow, not misconfigured.
        await Assert.ThrowsAsync<MailTimeoutException>(() => new Mailer(options).SendAsync(new Message("Hi", ["a@example.com"], body: "Hi")));
    }
}
