using MailMvc.Mail;
using MailMvc.Mail.Suppression;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>A welcome list meets the suppression list: the suppressed row is not sent and says since when.</summary>
public sealed class SuppressedWelcomeListTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    [Fact]
    public async Task PostBulk_AddressUnsubscribedBefore_RowSuppressedSayingWhenAndOnlyTheOthersSent()
    {
        var client = factory.CreateBrowser();
        var list = factory.Services.GetRequiredService<ISuppressionList>();
        await list.AddAsync(new SuppressedAddress("gone@example.com", SuppressionReason.Unsubscribed,
            new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero), "welcome"));
        using var recorded = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        var response = await client.PostListAsync("suppressed.csv", "name,email\nAda,ada@example.com\nGone,Gone@Example.com\n");
        var jobUrl = response.Headers.Location!.OriginalString;
        var status = await client.WaitForJobAsync(jobUrl);
        var page = await client.GetPageAsync(jobUrl + "?show=suppressed");

        Assert.Equal((1, 1), (status.Count("sent"), status.Count("suppressed")));
        Assert.Equal(["ada@example.com"], recorded.Messages.SelectMany(m => m.Recipients));
        var row = Assert.Single(page.QuerySelectorAll("table.bulk-results tr.result-suppressed"));
        Assert.Contains("Not sent: gone@example.com unsubscribed on 2026-05-01 09:12 UTC.", row.TextContent, StringComparison.Ordinal);
    }
}
