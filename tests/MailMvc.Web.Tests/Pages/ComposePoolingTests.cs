using System.Globalization;
using System.Net;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Web.Tests.Pages;

/// <summary>
/// One mail per compose POST, as the app is configured out of the box (Production, appsettings.json): consecutive
/// sends reuse one pooled SMTP connection at the real test server, an idle one is closed with QUIT after
/// <c>Mail:PoolIdleTimeout</c>, and one the server closed meanwhile does not fail the user's send.
/// </summary>
public sealed class ComposePoolingTests
{
    [Fact]
    public async Task ComposePost_TwentyOneAfterTheOther_OneSmtpConnectionCarriesThemAll()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var factory = new MailMvcFactory("Production", Settings(smtp.Port));
        var client = factory.CreateBrowser();

        for (var i = 0; i < 20; i++)
        {
            await PostAndExpectSentAsync(client, i);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(Subject), smtp.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(1, smtp.ConnectionCount);
    }

    [Fact]
    public async Task ComposePost_ThenIdleLongerThanPoolIdleTimeout_ConnectionClosedWithQuitAndTheNextSendOpensANewOne()
    {
        // Long enough that a test thread held up on a loaded machine still sees the connection open after the first POST.
        var idle = TimeSpan.FromMilliseconds(1500);
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var factory = new MailMvcFactory("Production", Settings(smtp.Port, new()
        {
            ["Mail:PoolIdleTimeout"] = idle.ToString("c", CultureInfo.InvariantCulture),
        }));
        var client = factory.CreateBrowser();

        await PostAndExpectSentAsync(client, 1);
        Assert.Empty(smtp.Quits);
        var quit = await WaitForQuitAsync(smtp, TimeSpan.FromSeconds(10));
        await PostAndExpectSentAsync(client, 2);

        var idleFor = quit - smtp.Messages[0].ReceivedAt;
        // Closed once idle for the timeout (the sweep runs every half of it), not before.
        Assert.InRange(idleFor, idle - TimeSpan.FromMilliseconds(20), idle * 2 + TimeSpan.FromSeconds(1));
        Assert.Equal(2, smtp.ConnectionCount);
        Assert.Equal(2, smtp.Messages.Count);
    }

    [Fact]
    public async Task ComposePost_ServerClosedIdleConnectionsOnItsOwn_TheNextSendStillSucceeds()
    {
        // A server whose idle timeout is shorter than the app's Mail:PoolIdleTimeout (30 s by default), and long enough
        // that a first send slowed by a loaded machine (the app compiling as it goes) is not cut off between commands
        // (SmtpConnectionPoolTests saw 1 s cut short beside the other tests).
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { IdleTimeout = TimeSpan.FromSeconds(2) });
        await using var factory = new MailMvcFactory("Production", Settings(smtp.Port));
        var client = factory.CreateBrowser();

        await PostAndExpectSentAsync(client, 1);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await PostAndExpectSentAsync(client, 2);

        Assert.Equal([Subject(1), Subject(2)], smtp.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(2, smtp.ConnectionCount);
    }

    [Fact]
    public async Task ComposePost_ServerHangsUpThePooledConnectionAsItIsReused_SentOnANewConnectionOnce()
    {
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { HangUpReused = 1 });
        await using var factory = new MailMvcFactory("Production", Settings(smtp.Port));
        var client = factory.CreateBrowser();

        await PostAndExpectSentAsync(client, 1);
        await PostAndExpectSentAsync(client, 2);

        Assert.Equal(1, smtp.HungUpCount);
        Assert.Equal([Subject(1), Subject(2)], smtp.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(2, smtp.ConnectionCount);
    }

    private static string Subject(int i) => $"Pooled compose {i}";

    private static async Task PostAndExpectSentAsync(HttpClient client, int i)
    {
        using var response = await client.PostComposeAsync(new Dictionary<string, string>
        {
            ["To"] = $"reader{i}@example.com",
            ["Subject"] = Subject(i),
            ["Message"] = "One mail per request.",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"POST {i} answered {(int)response.StatusCode}: {(await response.ReadPageAsync()).QuerySelector(".error-summary")?.TextContent.Trim()}");
        Assert.Equal("/compose/sent", response.Headers.Location?.OriginalString);
    }

    private static async Task<DateTimeOffset> WaitForQuitAsync(SmtpTestServer smtp, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (smtp.Quits.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The pooled connection was not closed within {timeout.TotalSeconds:0} s.");
            await Task.Delay(50);
        }

        return Assert.Single(smtp.Quits);
    }

    /// <summary>The app as shipped (appsettings.json: Mail:PoolSize and Mail:PoolIdleTimeout as configured there),
    /// sending to the test server, with what Production requires to let an anonymous user send.</summary>
    private static Dictionary<string, string?> Settings(int port, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sending:AllowAnonymous"] = "true",
            ["Mail:SuppressSend"] = "false",
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }
}
