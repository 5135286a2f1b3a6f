using System.Net;
using MailMvc.Mail;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The suppressions page: who may open it (the outbox page's rule), and listing, searching, adding and
/// removing, each change felt by the next send.</summary>
public sealed class SuppressionsPageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-suppressions-").FullName;

    [Theory]
    [InlineData(null, null)]
    [InlineData("mail-admin", "editor")]
    public async Task Suppressions_InProductionWithoutTheAdminRole_Returns404AndChangesNothing(string? adminRole, string? userRole)
    {
        await using var factory = CreateProductionApp(adminRole, userRole);
        var client = factory.CreateBrowser();

        using var page = await client.GetAsync("/suppressions");
        using var add = await client.PostAsync("/suppressions/add", new FormUrlEncodedContent([new("Form.Address", "ada@example.com")]));
        using var remove = await client.PostAsync("/suppressions/remove", new FormUrlEncodedContent([new("address", "ada@example.com")]));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { page.StatusCode, add.StatusCode, remove.StatusCode });
        Assert.Empty(await factory.Services.GetRequiredService<ISuppressionList>().ListAsync(null, 10));
    }

    [Fact]
    public async Task Suppressions_AdminAddsSearchesAndRemoves_ListShowsReasonAndTimeAndTheNextSendFollows()
    {
        await using var factory = CreateProductionApp("mail-admin", "mail-admin");
        var client = factory.CreateBrowser();
        var list = factory.Services.GetRequiredService<ISuppressionList>();
        await list.AddAsync(new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero), "welcome"));
        var mailer = factory.Services.GetRequiredService<IMailer>();

        var added = await client.PostAsync("/suppressions/add", new FormUrlEncodedContent(
            [new("Form.Address", "Bob@Example.com"), new("Form.Note", "asked by phone"), new("__RequestVerificationToken", await client.GetTokenAsync("/suppressions", "/suppressions/add"))]));
        var afterAdd = await client.GetPageAsync("/suppressions");
        var search = await client.GetPageAsync("/suppressions?q=BOB");
        var whileSuppressed = await mailer.SendAsync(new Message("Hi", ["bob@example.com"], body: "Hi"));
        var removed = await client.PostAsync("/suppressions/remove", new FormUrlEncodedContent(
            [new("address", "bob@example.com"), new("__RequestVerificationToken", await client.GetTokenAsync("/suppressions", "/suppressions/add"))]));
        var afterRemove = await client.GetPageAsync("/suppressions");
        var afterRemoval = await mailer.SendAsync(new Message("Hi", ["bob@example.com"], body: "Hi"));

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("bob@example.com is suppressed", afterAdd.QuerySelector("p.success")!.TextContent, StringComparison.Ordinal);
        var bob = afterAdd.QuerySelector("tr[data-address='bob@example.com']")!.TextContent;
        Assert.Contains("Added by hand", bob, StringComparison.Ordinal);
        Assert.Contains("by ann: asked by phone", bob, StringComparison.Ordinal);
        Assert.Contains("Unsubscribed", afterAdd.QuerySelector("tr[data-address='ada@example.com']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-05-01 09:12 UTC", afterAdd.QuerySelector("tr[data-address='ada@example.com']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["bob@example.com"], search.QuerySelectorAll("table.suppressions tbody tr").Select(r => r.GetAttribute("data-address")));
        Assert.Equal(MailDisposition.Suppressed, whileSuppressed.Disposition);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Contains("mail goes to it again", afterRemove.QuerySelector("p.success")!.TextContent, StringComparison.Ordinal);
        Assert.Null(afterRemove.QuerySelector("tr[data-address='bob@example.com']"));
        Assert.NotEqual(MailDisposition.Suppressed, afterRemoval.Disposition);
    }

    [Fact]
    public async Task Suppressions_AddNotAnAddress_ErrorBesideTheFieldAndNothingAdded()
    {
        await using var factory = CreateProductionApp("mail-admin", "mail-admin");
        var client = factory.CreateBrowser();

        var response = await client.PostAsync("/suppressions/add", new FormUrlEncodedContent(
            [new("Form.Address", "not an address"), new("__RequestVerificationToken", await client.GetTokenAsync("/suppressions", "/suppressions/add"))]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("'not an address' is not a valid email address.", (await response.ReadPageAsync()).ErrorBeside("Form.Address"));
        Assert.Empty(await factory.Services.GetRequiredService<ISuppressionList>().ListAsync(null, 10));
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
