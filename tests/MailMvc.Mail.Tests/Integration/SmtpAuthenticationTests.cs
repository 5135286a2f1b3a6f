namespace MailMvc.Mail.Tests.Integration;

/// <summary>SMTP AUTH against a real server that offers one mechanism at a time.</summary>
public sealed class SmtpAuthenticationTests
{
    private const string User = "smtp-user";
    private const string Password = "correct-horse-battery";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task SendAsync_CorrectCredentials_AuthenticatesWithMechanismAndDelivers(string mechanism)
    {
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { AuthUser = User, AuthPassword = Password, AuthMechanism = mechanism });
        var options = server.CreateMailOptions();
        options.Username = User;
        options.Password = Password;
        var mailer = new Mailer(options);

        await mailer.SendAsync(new Message($"AUTH {mechanism}", ["alice@example.com"], body: "Hi"));

        Assert.Equal([mechanism], server.SuccessfulLogins);
        var received = Assert.Single(server.Messages);
        Assert.True(received.Authenticated);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_ThrowsMailAuthenticationExceptionWithoutThePassword()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { AuthUser = User, AuthPassword = Password });
        var options = server.CreateMailOptions();
        options.Username = User;
        options.Password = "wrong-password-42";
        var mailer = new Mailer(options);

        var error = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => mailer.SendAsync(new Message("Never sent", ["alice@example.com"], body: "Hi")));

        Assert.Contains(User, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-42", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_UsernameSetAndServerWithoutAuth_ThrowsMailAuthenticationException()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.Username = User;
        options.Password = Password;
        var mailer = new Mailer(options);

        await Assert.ThrowsAsync<MailAuthenticationException>(
            () => mailer.SendAsync(new Message("Never sent", ["alice@example.com"], body: "Hi")));

        Assert.Empty(server.Messages);
    }
}
