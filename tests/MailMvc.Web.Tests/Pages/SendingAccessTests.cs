using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Outside Development the sending pages are not an open relay: closed until a role or anonymous use is configured.</summary>
public sealed class SendingAccessTests
{
    [Theory]
    [InlineData("/compose")]
    [InlineData("/welcome")]
    public async Task SendingPage_InProductionWithNothingConfigured_Returns404AndIsNotLinked(string url)
    {
        await using var factory = new MailMvcFactory("Production");
        var client = factory.CreateBrowser();

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var home = await client.GetPageAsync("/");
        Assert.Null(home.QuerySelector($"a[href='{url}']"));
    }

    [Fact]
    public async Task Compose_InProductionForAUserInTheSendingRole_ShowsTheForm()
    {
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?> { ["Sending:Role"] = "sender" },
            services => services.AddSingleton<IStartupFilter>(new SignedInUser("sender")));

        var page = await factory.CreateBrowser().GetPageAsync("/compose");

        Assert.Equal("Compose", page.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task Compose_InProductionWithAllowAnonymous_ShowsTheForm()
    {
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?> { ["Sending:AllowAnonymous"] = "true" });

        var page = await factory.CreateBrowser().GetPageAsync("/compose");

        Assert.Equal("Compose", page.QuerySelector("h1")?.TextContent.Trim());
    }
}
