using System.Net;
using System.Security.Claims;
using MailMvc.Mail.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Who may open the outbox page, and what it says when the outbox is off; each test with its own host.</summary>
public sealed class OutboxAccessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-outbox-access-").FullName;

    [Theory]
    [InlineData(null, null)]
    [InlineData("mail-admin", null)]
    [InlineData("mail-admin", "editor")]
    public async Task Outbox_InProductionWithoutTheAdminRole_Returns404(string? adminRole, string? userRole)
    {
        await using var factory = CreateProductionApp(adminRole, userRole);
        var client = factory.CreateBrowser();

        using var list = await client.GetAsync("/outbox");
        using var details = await client.GetAsync("/outbox/1");
        using var retry = await client.PostAsync("/outbox/1/retry", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { list.StatusCode, details.StatusCode, retry.StatusCode });
        var home = await client.GetPageAsync("/");
        Assert.Null(home.QuerySelector("nav a[href='/outbox']"));
    }

    [Fact]
    public async Task Outbox_InProductionForAUserInTheAdminRole_ListsTheOutbox()
    {
        await using var factory = CreateProductionApp("mail-admin", "mail-admin");

        var page = await factory.CreateBrowser().GetPageAsync("/outbox");

        Assert.Equal("Outbox", page.QuerySelector("h1")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("ul.outbox-counts"));
    }

    [Fact]
    public async Task Outbox_Off_SaysSoAndHowToTurnItOn()
    {
        await using var factory = new MailMvcFactory();

        var page = await factory.CreateBrowser().GetPageAsync("/outbox");

        var text = page.QuerySelector("main")?.TextContent ?? "";
        Assert.Contains("The outbox is off", text, StringComparison.Ordinal);
        Assert.Contains("Mail:Outbox:Enabled", text, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("nav a[href='/outbox']"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    /// <summary>The app in Production with the outbox on; every request comes from a user in
    /// <paramref name="userRole"/> (or an anonymous one when null), as an authentication scheme would set it.</summary>
    private MailMvcFactory CreateProductionApp(string? adminRole, string? userRole) => new("Production",
        OutboxAppFixture.Settings(SmtpTestServer.FindClosedPort(), _directory, new Dictionary<string, string?> { ["Outbox:AdminRole"] = adminRole }),
        services =>
        {
            if (userRole is not null)
            {
                services.AddSingleton<IStartupFilter>(new SignedInUser(userRole));
            }
        });
}
