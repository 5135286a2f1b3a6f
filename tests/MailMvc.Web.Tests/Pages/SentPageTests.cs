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
        // Long names and long (valid) addresses: 64-character local parts, 60-character domain labels.
        var label = new string('d', 60);
        var to = string.Join(", ", Enumerable.Range(1, 40).Select(i =>
            $"\"{string.Concat(Enumerable.Repeat($"Recipient {i} with a very long display name ", 20))}\" <{$"person{i}".PadRight(64, 'x')}@{label}.{label}.{label}.example.com>"));

        using var posted = await client.PostComposeAsync(new Dictionary<string, string> { ["To"] = to, ["Subject"] = "Many", ["Message"] = "Hello all" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var cookies = posted.Headers.TryGetValues("Set-Cookie", out var setCookies) ? string.Concat(setCookies) : "";
        using var sent = await client.GetAsync("compose/sent");
        using var next = await client.GetAsync("compose");

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("and 35 more", (await sent.ReadPageAsync()).QuerySelector(".sent-recipients")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.True(cookies.Length < 4096, $"The redirect set {cookies.Length} characters of cookies.");
    }
}
