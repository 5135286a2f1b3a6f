using System.Net;
using MailMvc.Mail;
using MailMvc.Mail.Suppression;
using MailMvc.Web.Unsubscribe;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>
/// One-click unsubscribe (RFC 8058) in Production with the sending pages closed: the POST a mail client sends (no
/// cookies, no antiforgery token, no login) unsubscribes; opening the link does not; a changed token is refused.
/// </summary>
public sealed class UnsubscribeTests : IAsyncLifetime
{
    private readonly MailMvcFactory _factory = new("Production");
    private HttpClient _client = null!;

    private UnsubscribeLinks Links => _factory.Services.GetRequiredService<UnsubscribeLinks>();

    private ISuppressionList List => _factory.Services.GetRequiredService<ISuppressionList>();

    public Task InitializeAsync()
    {
        _client = _factory.CreateBrowser();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PostOneClick_AsAMailClientSendsIt_200WithoutRedirectAndTheAddressIsSuppressed()
    {
        var link = Links.LinkFor("ada@example.com", UnsubscribeLinks.WelcomeList);

        var response = await _client.PostAsync(link.PathAndQuery, OneClickBody());
        var found = await List.FindAsync(["ada@example.com"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("No more mail from MailMvc goes to ada@example.com", (await response.ReadPageAsync()).Body!.TextContent, StringComparison.Ordinal);
        var entry = Assert.Single(found);
        Assert.Equal((SuppressionReason.Unsubscribed, "welcome"), (entry.Reason, entry.Detail));
    }

    [Theory]
    [InlineData("changed address")]
    [InlineData("changed signature")]
    [InlineData("cut short")]
    [InlineData("another key")]
    public async Task PostOneClick_TokenNotThisAppsOrChanged_400WithASentenceAndNothingSuppressed(string how)
    {
        var token = Links.CreateToken("bob@example.com", UnsubscribeLinks.WelcomeList);
        var forged = how switch
        {
            "changed address" => System.Buffers.Text.Base64Url.EncodeToString("1\nwelcome\neve@example.com"u8) + token[token.IndexOf('.', StringComparison.Ordinal)..],
            "changed signature" => token[..^2] + (token[^2] == 'A' ? "BA" : "AA"),
            "cut short" => token[..^10],
            _ => ForgedWithAnotherKey(),
        };

        var response = await _client.PostAsync("/unsubscribe/" + forged, OneClickBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This unsubscribe link is not valid", (await response.ReadPageAsync()).Body!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await List.ListAsync(null, 10));
    }

    [Fact]
    public async Task GetLink_AsAMailScannerOpensIt_ConfirmButtonAndNothingSuppressed()
    {
        var link = Links.LinkFor("carol@example.com", UnsubscribeLinks.WelcomeList);

        var response = await _client.GetAsync(link.PathAndQuery);
        var page = await response.ReadPageAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = page.QuerySelector("form.unsubscribe-form")!;
        Assert.Equal(("post", link.AbsolutePath), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal("One-Click", form.QuerySelector("input[name='List-Unsubscribe']")!.GetAttribute("value"));
        Assert.Empty(await List.FindAsync(["carol@example.com"]));
    }

    [Fact]
    public async Task PostWithoutOneClickField_400AndNothingSuppressed()
    {
        var link = Links.LinkFor("dan@example.com", UnsubscribeLinks.WelcomeList);

        var response = await _client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("other", "value")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await List.FindAsync(["dan@example.com"]));
    }

    [Fact]
    public async Task WelcomeList_EachMail_CarriesOneClickHeadersOnTheHttpsBaseUrlAndTheSameLinkInBothParts()
    {
        await using var factory = new MailMvcFactory("Development");
        var client = factory.CreateBrowser();
        using var recorded = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        await client.WaitForJobAsync((await client.PostListAsync("two.csv", "name,email\nAda,ada@example.com\nBob,bob@example.com\n")).Headers.Location!.OriginalString);

        Assert.Equal(2, recorded.Messages.Count);
        var links = factory.Services.GetRequiredService<UnsubscribeLinks>();
        foreach (var message in recorded.Messages)
        {
            var link = links.LinkFor(message.Recipients.Single(), UnsubscribeLinks.WelcomeList).AbsoluteUri;
            Assert.StartsWith(MailMvcFactory.BaseUrl + "unsubscribe/", link, StringComparison.Ordinal);
            Assert.Equal($"<{link}>", message.ExtraHeaders["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", message.ExtraHeaders["List-Unsubscribe-Post"]);
            Assert.Contains($"href=\"{link}\"", message.Html, StringComparison.Ordinal);
            Assert.Contains("Unsubscribe: " + link, message.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WelcomeList_MailToConfigured_ListUnsubscribeOffersItAfterTheLink()
    {
        await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?> { ["Unsubscribe:MailTo"] = "unsubscribe@example.com" });
        var client = factory.CreateBrowser();
        using var recorded = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        await client.WaitForJobAsync((await client.PostListAsync("one.csv", "name,email\nAda,ada@example.com\n")).Headers.Location!.OriginalString);

        var header = Assert.Single(recorded.Messages).ExtraHeaders["List-Unsubscribe"];
        Assert.Matches(@"^<https://mailmvc\.test/unsubscribe/[^>]+>, <mailto:unsubscribe@example\.com\?subject=unsubscribe%20[^>]+>$", header);
    }

    [Theory]
    [InlineData(null, "Unsubscribe:SigningKey is not set")]
    [InlineData("short", "Unsubscribe:SigningKey has 5 characters, too short")]
    public async Task Start_ProductionWithoutAUsableSigningKey_StopsSayingWhatToSet(string? key, string expected)
    {
        var exception = await StartUp.FailsAsync(() => new MailMvcFactory("Production", new Dictionary<string, string?> { ["Unsubscribe:SigningKey"] = key }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("from a secret store or the environment (Unsubscribe__SigningKey)", exception.Message, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private static FormUrlEncodedContent OneClickBody() => new([new("List-Unsubscribe", "One-Click")]);

    private static string ForgedWithAnotherKey()
    {
        var payload = "1\nwelcome\nbob@example.com"u8.ToArray();
        var mac = System.Security.Cryptography.HMACSHA256.HashData(new byte[32], payload);
        return System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + System.Buffers.Text.Base64Url.EncodeToString(mac);
    }
}
