using System.Net;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The Sent page's summary travels in a cookie, so it stays small whatever the recipients were.</summary>
public sealed class SentPageTests
{
    [Fact]
    public async Task PostCompose_FortyLongDisplayNames_SentPageSummarisesAndLaterRequestsAreNot431()
    {
        await using var factory = new MailMvcFactory();
        using var client = factory.StartOnLoopback();
        var token = await client.GetTokenAsync("compose", "/compose");
        var to = string.Join(", ", Enumerable.Range(1, 40).Select(i => $"\"{string.Concat(Enumerable.Repeat($"Recipient {i} with a very long display name ", 20))}\" <person{i}@example.com>"));
        using var content = FormPages.Multipart(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["To"] = to,
            ["Subject"] = "Many",
            ["Message"] = "Hello all",
        });

        using var posted = await client.PostAsync("compose", content);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using var sent = await client.GetAsync("compose/sent");
        using var next = await client.GetAsync("compose");

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("and 35 more", (await sent.ReadPageAsync()).QuerySelector(".sent-recipients")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
