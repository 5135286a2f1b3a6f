using System.Net;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Every response carries the security headers, every time, and the pages run no inline script.</summary>
public sealed class SecurityHeadersTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    private static readonly string[] s_pages = ["/", "/compose", "/welcome", "/dev/mail", "/dev/mail/Welcome/default", "/outbox", "/no-such-page"];

    public static TheoryData<string> Pages => Urls(s_pages);

    public static TheoryData<string> Responses => Urls([.. s_pages, "/healthz", "/css/site.css", "/js/bulk-progress.js", "/error/500"]);

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task AnyResponse_EveryTime_CarriesTheSecurityHeaders(string url)
    {
        var client = factory.CreateBrowser();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(url);

            AssertSecurityHeaders(response, $"{url} (request {i + 1})");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_Always_HasNoInlineScriptOrEventHandler(string url)
    {
        using var response = await factory.CreateBrowser().GetAsync(url);
        var page = await response.ReadPageAsync();

        Assert.Empty(page.QuerySelectorAll("script:not([src])"));
        Assert.Empty(page.All.SelectMany(element => element.Attributes).Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)).Select(a => a.Name));
    }

    [Fact]
    public async Task PreviewHtml_InItsFrame_SandboxedAndFrameableByTheAppOnly()
    {
        using var response = await factory.CreateBrowser().GetAsync("/dev/mail/Welcome/default/html");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("sandbox", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task ErrorPage_InProduction_CarriesTheSecurityHeaders()
    {
        await using var production = new MailMvcFactory("Production");

        using var response = await production.CreateBrowser().GetAsync("/compose");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecurityHeaders(response, "/compose in Production");
    }

    private static TheoryData<string> Urls(IEnumerable<string> urls)
    {
        var data = new TheoryData<string>();
        foreach (var url in urls)
        {
            data.Add(url);
        }

        return data;
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        string Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values)
                : throw new Xunit.Sdk.XunitException($"{what} has no {name} header.");

        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.False(string.IsNullOrEmpty(Header("Referrer-Policy")), what);
        var policy = Header("Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }
}
