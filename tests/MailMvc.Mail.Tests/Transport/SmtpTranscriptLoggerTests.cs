using System.Text;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>The transcript keeps commands and replies and never the message content, however the client sends it.</summary>
public sealed class SmtpTranscriptLoggerTests
{
    private const string Content = "Subject: secret-subject\r\n\r\nsecret-body\r\n";

    [Fact]
    public void LogClient_BdatChunkInTheSameWriteAsItsCommand_ContentSummarisedNotLogged()
    {
        var logger = new SmtpTranscriptLogger(NullLogger.Instance);
        var bytes = Encoding.ASCII.GetBytes($"BDAT {Content.Length} LAST\r\n{Content}");

        logger.LogClient(bytes, 0, bytes.Length);
        logger.LogServer(Encoding.ASCII.GetBytes("250 OK\r\n"), 0, 8);
        var transcript = logger.TakeTranscript();

        Assert.Contains($"C: BDAT {Content.Length} LAST", transcript, StringComparison.Ordinal);
        Assert.Contains($"C: <message content, {Content.Length} bytes>", transcript, StringComparison.Ordinal);
        Assert.Contains("S: 250 OK", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void LogClient_DataAfter354_ContentSummarisedNotLogged()
    {
        var logger = new SmtpTranscriptLogger(NullLogger.Instance);
        Client(logger, "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        Server(logger, "250 OK\r\n250 OK\r\n354 go ahead\r\n");

        Client(logger, Content + ".\r\n");
        Server(logger, "250 queued\r\n");
        var transcript = logger.TakeTranscript();

        Assert.Contains("C: DATA", transcript, StringComparison.Ordinal);
        Assert.Contains("C: <message content,", transcript, StringComparison.Ordinal);
        Assert.Contains("S: 250 queued", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", transcript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XOAUTH2")]
    [InlineData("OAUTHBEARER")]
    public void LogClient_OAuthInitialResponseWithoutSecretDetector_Redacted(string mechanism)
    {
        var logger = new SmtpTranscriptLogger(NullLogger.Instance);
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("user=a@example.com\u0001auth=Bearer secret-token\u0001\u0001"));

        Client(logger, $"AUTH {mechanism} {response}\r\n");
        Server(logger, "235 2.7.0 Accepted\r\n");
        var transcript = logger.TakeTranscript();

        Assert.Contains($"C: AUTH {mechanism} ********", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(response, transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void LogClient_AnswerToA334ChallengeWithoutSecretDetector_Redacted()
    {
        var logger = new SmtpTranscriptLogger(NullLogger.Instance);
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("user=a@example.com\u0001auth=Bearer secret-token\u0001\u0001"));

        Client(logger, "AUTH XOAUTH2\r\n");
        Server(logger, "334 \r\n");
        Client(logger, response + "\r\n");
        Server(logger, "235 2.7.0 Accepted\r\n");
        Client(logger, "MAIL FROM:<a@example.com>\r\n");
        var transcript = logger.TakeTranscript();

        Assert.Contains("C: ********", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(response, transcript, StringComparison.Ordinal);
        Assert.Contains("C: MAIL FROM:<a@example.com>", transcript, StringComparison.Ordinal);
    }

    private static void Client(SmtpTranscriptLogger logger, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        logger.LogClient(bytes, 0, bytes.Length);
    }

    private static void Server(SmtpTranscriptLogger logger, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        logger.LogServer(bytes, 0, bytes.Length);
    }
}
