using System.Net;

namespace MailMvc.Web.Tests.Pages;

public sealed class DevMailPageTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    [Theory]
    [InlineData("/dev/mail")]
    [InlineData("/dev/mail/Welcome/default")]
    public async Task DevMail_InDevelopment_Returns200(string url)
    {
        var response = await factory.CreateBrowser().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DevMail_AppTemplates_ListsEveryTemplateInTheFolderWithItsCases()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/dev/mail");

        Assert.Equal(["Compose", "Welcome"], page.QuerySelectorAll("h3").Select(heading => heading.TextContent));
        Assert.Empty(page.QuerySelectorAll(".template-without-case"));
        Assert.NotNull(page.QuerySelector("a[href='/dev/mail/Welcome/default']"));
    }

    [Fact]
    public async Task DevMailPreview_InDevelopment_FramesTheHtmlSandboxed()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/dev/mail/Welcome/default");

        var frame = page.QuerySelector("iframe");
        Assert.NotNull(frame);
        // Same origin, so the page can measure the mail's height; no scripts, so the mail can do nothing with it.
        Assert.Equal("allow-same-origin", frame.GetAttribute("sandbox"));
        Assert.Equal("/dev/mail/Welcome/default/html", frame.GetAttribute("src"));
    }

    [Fact]
    public async Task DevMailPreview_Welcome_ShowsTheLintFindingsOfTheRenderedMail()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/dev/mail/Welcome/default");

        // The layout's rounded corners are lost in Outlook on Windows: a warning, not an error.
        var findings = page.QuerySelectorAll(".lint-findings li.lint-finding").ToList();
        Assert.Contains(findings, f => f.ClassList.Contains("warning")
            && f.TextContent.Contains("border-radius does not work in Outlook Windows", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.ClassList.Contains("error"));
    }

    [Fact]
    public async Task DevMailHtml_Always_SentWithSandboxContentSecurityPolicy()
    {
        var response = await factory.CreateBrowser().GetAsync("/dev/mail/Welcome/default/html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var sandbox = Assert.Single(policy.Split(';', StringSplitOptions.TrimEntries), d => d.StartsWith("sandbox", StringComparison.Ordinal));
        Assert.Equal("sandbox allow-same-origin", sandbox);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DevMailPreview_UnknownCase_Returns404()
    {
        var response = await factory.CreateBrowser().GetAsync("/dev/mail/Welcome/no-such-case");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_Running_Returns200()
    {
        var response = await factory.CreateBrowser().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
    }
}
