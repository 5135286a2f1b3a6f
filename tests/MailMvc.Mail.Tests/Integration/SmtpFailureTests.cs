using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>How failures of a real server reach the caller: refused recipient, 4xx, no server, no answer.</summary>
public sealed class SmtpFailureTests
{
    [Fact]
    public async Task SendAsync_RecipientRefused_ThrowsMailRecipientRefusedExceptionNamingTheAddress()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        var mailer = new Mailer(server.CreateMailOptions());

        var error = await Assert.ThrowsAsync<MailRecipientRefusedException>(
            () => mailer.SendAsync(new Message("Refused", ["alice@example.com", "nobody@example.com"], body: "Hi")));

        Assert.Equal("nobody@example.com", error.Recipient);
        Assert.Contains("nobody@example.com", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("550", error.ServerReply, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task ConnectionSendAsync_AfterRefusedRecipient_NextMessageGoesOverTheSameConnection()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        var mailer = new Mailer(server.CreateMailOptions());

        await using (var connection = await mailer.ConnectAsync())
        {
            await Assert.ThrowsAsync<MailRecipientRefusedException>(
                () => connection.SendAsync(new Message("Refused", ["nobody@example.com"], body: "Hi")));
            await connection.SendAsync(new Message("Accepted", ["alice@example.com"], body: "Hi"));
        }

        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal("Accepted", Assert.Single(server.Messages).Parse().Subject);
    }

    [Fact]
    public async Task SendAsync_ServerAnswersDataWith451_ThrowsTransientMailTemporaryFailureException()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DataReply = "451 4.3.0 Try again later" });
        var mailer = new Mailer(server.CreateMailOptions());

        var error = await Assert.ThrowsAsync<MailTemporaryFailureException>(
            () => mailer.SendAsync(new Message("Greylisted", ["alice@example.com"], body: "Hi")));

        Assert.True(error.IsTransient);
        Assert.Contains("451", error.ServerReply, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_NoServerListening_ThrowsMailServerUnreachableException()
    {
        var options = new MailOptions { Server = "127.0.0.1", Port = SmtpTestServer.FindClosedPort(), DeliveryMethod = MailDeliveryMethod.Smtp, DefaultSender = "sender@example.com" };
        var mailer = new Mailer(options);

        var error = await Assert.ThrowsAsync<MailServerUnreachableException>(
            () => mailer.SendAsync(new Message("Nowhere", ["alice@example.com"], body: "Hi")));

        Assert.True(error.IsTransient);
        Assert.Contains($"127.0.0.1:{options.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ServerNeverGreets_ThrowsMailTimeoutExceptionWithinTheTimeout()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Silent = true });
        var options = server.CreateMailOptions();
        options.Timeout = TimeSpan.FromSeconds(1);
        var mailer = new Mailer(options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<MailTimeoutException>(
            () => mailer.SendAsync(new Message("Silence", ["alice@example.com"], body: "Hi")));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Gave up after {clock.Elapsed}, expected about 1 s.");
        Assert.True(error.IsTransient);
        // One connection for the send, and one that checks whether the port expects TLS from the first byte.
        Assert.Equal(2, server.ConnectionCount);
    }
}
