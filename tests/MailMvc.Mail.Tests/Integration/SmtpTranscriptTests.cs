using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>The Debug transcript of a real SMTP exchange: the commands are there, the secrets and the content are not.</summary>
public sealed class SmtpTranscriptTests(ITestOutputHelper output)
{
    private const string TranscriptCategory = "MailMvc.Mail.SmtpTranscript";
    private const string User = "transcript-user";
    private const string Password = "Tr4nscript-Secret!";
    private const string SubjectMarker = "Subject-marker-5d1e";
    private const string BodyMarker = "Body-marker-9c4f0a";

    [Fact]
    public async Task SendAsync_DebugOff_NoTranscriptIsMadeOrLogged()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new FakeLoggerProvider(collector)));
        var options = server.CreateMailOptions();
        options.Debug = false;
        var mailer = new Mailer(options, loggerFactory);
        var transcripts = new List<string?>();
        mailer.Dispatched += (_, e) => transcripts.Add(e.Transcript);

        await mailer.SendAsync(new Message(SubjectMarker, ["alice@example.com"], body: BodyMarker));

        Assert.Single(server.Messages);
        Assert.Equal([null], transcripts);
        Assert.DoesNotContain(collector.GetSnapshot(), r => r.Category == TranscriptCategory);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task SendAsync_DebugWithAuth_LogsSmtpCommandsWithoutSecretsOrContent(string mechanism)
    {
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { AuthUser = User, AuthPassword = Password, AuthMechanism = mechanism });
        var collector = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new FakeLoggerProvider(collector)));
        var options = server.CreateMailOptions();
        options.Debug = true;
        options.Username = User;
        options.Password = Password;
        var mailer = new Mailer(options, loggerFactory);

        await mailer.SendAsync(new Message(SubjectMarker, ["alice@example.com"], body: BodyMarker));

        Assert.Single(server.Messages);
        var records = collector.GetSnapshot();
        var transcript = string.Join('\n', records.Where(r => r.Category == TranscriptCategory).Select(r => r.Message));
        output.WriteLine(transcript);
        Assert.Contains("C: EHLO", transcript, StringComparison.Ordinal);
        Assert.Contains($"C: AUTH {mechanism}", transcript, StringComparison.Ordinal);
        Assert.Contains("C: MAIL FROM:<sender@example.com>", transcript, StringComparison.Ordinal);
        Assert.Contains("C: RCPT TO:<alice@example.com>", transcript, StringComparison.Ordinal);
        Assert.Contains("C: <message content,", transcript, StringComparison.Ordinal);

        var everything = string.Join('\n', records.Select(r => r.Message + " " + r.Exception));
        string[] secrets =
        [
            Password,
            Base64($"\0{User}\0{Password}"),
            Base64(Password),
        ];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(SubjectMarker, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(BodyMarker, everything, StringComparison.Ordinal);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
