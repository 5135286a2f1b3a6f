using System.Net;
using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The compose action's body limits apply before its form is read, so a POST within them logs nothing to warn about.</summary>
public sealed class ComposeLogTests
{
    [Fact]
    public async Task PostCompose_ValidFormOnARealServer_SentWithoutAWarningInTheLog()
    {
        var logs = new FakeLogCollector();
        await using var factory = new MailMvcFactory("Development", services: services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        using var client = factory.StartOnLoopback();
        using var outbox = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        using var response = await client.PostComposeAsync(
            new Dictionary<string, string> { ["To"] = "ann@example.com", ["Subject"] = "Hello", ["Message"] = "A file" },
            content => content.AddFile("Attachments", "notes.txt", "text/plain", "Some notes"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Single(outbox.Messages);
        Assert.Empty(logs.GetSnapshot().Where(record => record.Level >= LogLevel.Warning).Select(record => $"{record.Category}: {record.Message}"));
    }
}
