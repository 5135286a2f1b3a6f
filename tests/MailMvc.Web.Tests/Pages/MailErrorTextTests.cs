using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Outside Development a failed send says what happened and what to do, never the SMTP host, port or login.</summary>
public sealed class MailErrorTextTests
{
    [Fact]
    public async Task PostCompose_ProductionServerUnreachable_SentenceWithoutHostOrPort()
    {
        var port = SmtpTestServer.FindClosedPort().ToString(CultureInfo.InvariantCulture);

        var (alert, html) = await PostComposeInProductionAsync(port);

        Assert.Contains("Could not connect to the mail server. Try again later", alert, StringComparison.Ordinal);
        AssertKeptAndWithoutServer(alert, html, port);
    }

    [Fact]
    public async Task PostCompose_ProductionServerNeverAnswers_TimeoutSentenceWithoutHostOrPort()
    {
        // Connects (the kernel completes the handshake) and never greets: the send times out.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

            var (alert, html) = await PostComposeInProductionAsync(port, timeout: "00:00:01");

            Assert.Contains("The mail service did not answer in time. Try again in a moment.", alert, StringComparison.Ordinal);
            AssertKeptAndWithoutServer(alert, html, port);
        }
        finally
        {
            silent.Stop();
        }
    }

    /// <summary>Posts the compose form to the app in Production, sending through 127.0.0.1 on <paramref name="port"/>;
    /// returns the form's error and the whole page.</summary>
    private static async Task<(string Alert, string Html)> PostComposeInProductionAsync(string port, string timeout = "00:00:02")
    {
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?>
        {
            ["Sending:AllowAnonymous"] = "true",
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = port,
            ["Mail:SuppressSend"] = "false",
            ["Mail:Timeout"] = timeout,
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
        return (alert, html);
    }

    private static void AssertKeptAndWithoutServer(string alert, string html, string port)
    {
        Assert.Contains("Nothing you typed was lost", alert, StringComparison.Ordinal);
        Assert.Contains("Still there?", html, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", html, StringComparison.Ordinal);
        Assert.DoesNotContain(port, html, StringComparison.Ordinal);
        Assert.DoesNotContain("SMTP server", html, StringComparison.Ordinal);
    }
}
