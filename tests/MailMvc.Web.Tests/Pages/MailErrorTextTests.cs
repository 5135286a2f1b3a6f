using System.Globalization;
using System.Net;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Outside Development a failed send says what happened and what to do, never the SMTP host, port or login.</summary>
public sealed class MailErrorTextTests
{
    [Fact]
    public async Task PostCompose_ProductionServerUnreachable_SentenceWithoutHostOrPort()
    {
        var port = SmtpTestServer.FindClosedPort().ToString(CultureInfo.InvariantCulture);
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?>
        {
            ["Sending:AllowAnonymous"] = "true",
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = port,
            ["Mail:SuppressSend"] = "false",
            ["Mail:Timeout"] = "00:00:02",
        });
        using var response = await factory.CreateBrowser().PostComposeAsync(new Dictionary<string, string>
        {
            ["To"] = "ann@example.com",
            ["Subject"] = "Still there?",
            ["Message"] = "Hello",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var alert = (await response.ReadPageAsync()).QuerySelector("form .form-error")?.TextContent ?? "";
        Assert.Contains("Could not connect to the mail server. Try again later", alert, StringComparison.Ordinal);
        Assert.Contains("Nothing you typed was lost", alert, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", html, StringComparison.Ordinal);
        Assert.DoesNotContain(port, html, StringComparison.Ordinal);
        Assert.DoesNotContain("SMTP server", html, StringComparison.Ordinal);
    }
}
