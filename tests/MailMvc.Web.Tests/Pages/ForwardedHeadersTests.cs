using System.Net;

namespace MailMvc.Web.Tests.Pages;

/// <summary>X-Forwarded-For is believed only from the proxies in <c>ForwardedHeaders:KnownProxies</c>: anyone else
/// cannot choose the address their sends are counted against. Served by Kestrel, so requests come from 127.0.0.1.</summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<List<HttpStatusCode>> WelcomeThreeTimesFromThreeForwardedAddressesAsync(Dictionary<string, string?> settings)
    {
        settings["RateLimits:Sending:PermitsPerMinute"] = "2";
        await using var factory = new MailMvcFactory("Development", settings);
        using var client = factory.StartOnLoopback();
        var token = await client.GetTokenAsync("welcome", "/welcome");
        var statuses = new List<HttpStatusCode>();
        foreach (var forwarded in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "welcome")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    [FormPages.TokenField] = token,
                    ["Single.Name"] = "Tom",
                    ["Single.Email"] = "tom@example.com",
                }),
            };
            request.Headers.Add("X-Forwarded-For", forwarded);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task PostWelcome_UntrustedXForwardedFor_CountedAgainstTheConnectionsAddress()
    {
        var statuses = await WelcomeThreeTimesFromThreeForwardedAddressesAsync(new());

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task PostWelcome_XForwardedForFromAKnownProxy_CountedAgainstTheForwardedAddress()
    {
        var statuses = await WelcomeThreeTimesFromThreeForwardedAddressesAsync(new() { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect], statuses);
    }

    [Fact]
    public async Task Start_KnownProxyThatIsNotAnAddress_StopsNamingIt()
    {
        var exception = await StartUp.FailsAsync(() => new MailMvcFactory("Development", new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "proxy.example" }));

        Assert.Contains("ForwardedHeaders:KnownProxies holds 'proxy.example', which is not an IP address", exception.Message, StringComparison.Ordinal);
    }
}
