using System.Security.Cryptography;
using MailMvc.Mail;
using MailMvc.Web.DevMail;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The preview page's deliverability block: whether and by whom a mail is DKIM-signed, and for bulk mail the
/// checks of Gmail's and Yahoo's sender rules; and the DKIM line of a delivered mail.</summary>
public sealed class DeliverabilityPreviewTests : IDisposable
{
    private readonly string _pickup = Directory.CreateTempSubdirectory("mailmvc-deliverability-").FullName;
    private readonly string _dkimKey;

    public DeliverabilityPreviewTests()
    {
        using var rsa = RSA.Create(2048);
        _dkimKey = rsa.ExportPkcs8PrivateKeyPem();
    }

    [Fact]
    public async Task Preview_BulkCaseSignedForTheSendersDomain_EveryBulkCheckPasses()
    {
        await using var factory = new MailMvcFactory("Development", Dkim("example.com"));

        var page = await factory.CreateBrowser().GetPageAsync("/dev/mail/Welcome/from-a-list");

        Assert.Equal("DKIM: signed at delivery: d=example.com, s=preview2026", page.QuerySelector(".dkim-status")?.TextContent.Trim());
        var checks = page.QuerySelectorAll("ul.bulk-checks li");
        Assert.Equal(["One-click unsubscribe in the headers", "Unsubscribe link in the body", "From aligned with the DKIM domain", "Plain-text part"],
            checks.Select(c => c.QuerySelector("strong")!.TextContent[2..].Trim()));
        Assert.All(checks, c => Assert.Equal("true", c.GetAttribute("data-passed")));
        Assert.Contains("A text part, with the unsubscribe link.", checks[3].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_BulkCaseSignedForAnotherDomain_AlignmentFailsSayingWhatToChange()
    {
        await using var factory = new MailMvcFactory("Development", Dkim("mailer.example.net"));

        var page = await factory.CreateBrowser().GetPageAsync("/dev/mail/Welcome/from-a-list");

        var alignment = page.QuerySelectorAll("ul.bulk-checks li")[2];
        Assert.Equal("false", alignment.GetAttribute("data-passed"));
        Assert.Contains("From's domain example.com is not mailer.example.net nor under it", alignment.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_WithoutDkimOrToOnePerson_SaysNotSignedAndShowsNoBulkChecks()
    {
        await using var factory = new MailMvcFactory();
        var client = factory.CreateBrowser();

        var bulk = await client.GetPageAsync("/dev/mail/Welcome/from-a-list");
        var single = await client.GetPageAsync("/dev/mail/Welcome/default");

        Assert.Equal("DKIM: not signed: Mail:Dkim:Domain is not set", bulk.QuerySelector(".dkim-status")?.TextContent.Trim());
        Assert.Equal("false", bulk.QuerySelectorAll("ul.bulk-checks li")[2].GetAttribute("data-passed"));
        Assert.NotNull(single.QuerySelector(".dkim-status"));
        Assert.Null(single.QuerySelector("ul.bulk-checks"));
    }

    [Fact]
    public void Checks_BulkMailWithoutALinkInTheBodyOrATextPart_ThoseChecksFail()
    {
        using var factory = new MailMvcFactory();
        var checks = factory.Services.GetRequiredService<DeliverabilityChecks>();
        var message = new Message("News", ["ada@example.com"], html: "<p>No way out.</p>", sender: "news@example.com");
        message.SetListUnsubscribe(new Uri("https://example.com/unsubscribe/abc"));

        var report = checks.For(message.ToMimeMessage(), queued: false);

        Assert.True(report.IsBulk);
        Assert.Equal([true, false, false, false], report.Checks.Select(c => c.Passed));
    }

    [Fact]
    public async Task Delivery_SignedDirectly_DeliveryPageNamesTheDomainAndSelector()
    {
        var settings = Dkim("example.com");
        settings["Mail:SuppressSend"] = "false";
        settings["Mail:DeliveryMethod"] = "PickupDirectory";
        settings["Mail:PickupDirectory"] = _pickup;
        await using var factory = new MailMvcFactory("Development", settings);
        var client = factory.CreateBrowser();
        var receipt = await factory.Services.GetRequiredService<IMailer>().SendAsync(new Message("Signed", ["ada@example.com"], body: "Hi"));
        var record = factory.Services.GetRequiredService<DeliveryLog>().FindByMessageId(receipt.MessageId)!;

        var page = await client.GetPageAsync($"/dev/mail/deliveries/{record.Id}");

        Assert.Equal("signed: d=example.com, s=preview2026", page.QuerySelector("dd.dkim-status")?.TextContent.Trim());
        Assert.NotNull(MimeMessage.Load(Directory.GetFiles(_pickup, "*.eml").Single()).Headers[HeaderId.DkimSignature]);
    }

    public void Dispose() => Directory.Delete(_pickup, recursive: true);

    private Dictionary<string, string?> Dkim(string domain) => new()
    {
        ["Mail:DefaultSender"] = "MailMvc <noreply@example.com>",
        ["Mail:Dkim:Domain"] = domain,
        ["Mail:Dkim:Selector"] = "preview2026",
        ["Mail:Dkim:PrivateKey"] = _dkimKey,
    };
}
