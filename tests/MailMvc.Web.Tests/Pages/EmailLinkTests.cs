using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Outside Development, mails never link to localhost or to the developer pages.</summary>
public sealed class EmailLinkTests
{
    [Theory]
    [InlineData(null, "EmailTemplates:BaseUrl is not set")]
    [InlineData("http://localhost:5080/", "EmailTemplates:BaseUrl is 'http://localhost:5080/', an address only this machine can open")]
    [InlineData("http://127.0.0.1/", "an address only this machine can open")]
    [InlineData("http://mail.example.com/", "EmailTemplates:BaseUrl is 'http://mail.example.com/', a plain http:// address: links in mails, the one-click unsubscribe link among them, must use https://")]
    public async Task Start_ProductionWithoutAReachableBaseUrl_StopsSayingWhatToSet(string? baseUrl, string expected)
    {
        var exception = await StartUp.FailsAsync(() => new MailMvcFactory("Production", new Dictionary<string, string?> { ["EmailTemplates:BaseUrl"] = baseUrl }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Set EmailTemplates:BaseUrl (or the environment variable EmailTemplates__BaseUrl) to the address people open this app at", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostWelcome_InProduction_MailLinksToBaseUrlAndNeverToTheDeveloperPages()
    {
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?> { ["Sending:AllowAnonymous"] = "true" });
        var client = factory.CreateBrowser();
        using var outbox = factory.Services.GetRequiredService<IMailer>().RecordMessages();
        var token = await client.GetTokenAsync("/welcome", "/welcome");

        using var response = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["Single.Name"] = "Ada",
            ["Single.Email"] = "ada@example.com",
        }));

        var message = Assert.Single(outbox.Messages);
        Assert.Contains(MailMvcFactory.BaseUrl + "compose", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", message.Html + message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("dev/mail", message.Html + message.Body, StringComparison.Ordinal);
    }
}
