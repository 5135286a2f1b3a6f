using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Settings that cannot work stop the app at start-up with a sentence that names the key and what to
/// set, each with its own host.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Compose:MaxRecipients", "0", "Compose:MaxRecipients must be between 1 and 1000; it is 0.")]
    [InlineData("Compose:MaxAttachments", "-1", "Compose:MaxAttachments must be between 0 and 100; it is -1.")]
    [InlineData("Compose:MaxAttachmentBytes", "0", "Compose:MaxAttachmentBytes must be between 1 and 67108864; it is 0.")]
    [InlineData("BulkWelcome:Connections", "0", "BulkWelcome:Connections must be between 1 and 100; it is 0.")]
    [InlineData("BulkWelcome:MaxUploadBytes", "-5", "BulkWelcome:MaxUploadBytes must be between 1 and 134217728; it is -5.")]
    [InlineData("BulkWelcome:DatabasePath", " ", "BulkWelcome:DatabasePath is empty; give the SQLite file the lists are kept in")]
    [InlineData("BulkWelcome:MaxRows", "0", "BulkWelcome:MaxRows must be between 1 and 10000000; it is 0.")]
    [InlineData("BulkWelcome:MaxEmailBytes", "3", "BulkWelcome:MaxEmailBytes must be between 6 and 65536; it is 3.")]
    [InlineData("BulkWelcome:KeepJobs", "00:00:05", "BulkWelcome:KeepJobs is 00:00:05; keep finished lists at least a minute")]
    [InlineData("RateLimits:Sending:PermitsPerMinute", "0", "RateLimits:Sending:PermitsPerMinute must be between 1 and 100000; it is 0.")]
    [InlineData("RateLimits:Sending:RecipientsPerMinute", "0", "RateLimits:Sending:RecipientsPerMinute must be between 1 and 1000000; it is 0.")]
    [InlineData("RateLimits:Sending:RecipientsPerDay", "100", "RateLimits:Sending:RecipientsPerMinute (500) is more than RateLimits:Sending:RecipientsPerDay (100); raise the daily budget or lower the one a minute.")]
    [InlineData("DevMail:SendPreviewTo", "me@example.com, not-an-address", "DevMail:SendPreviewTo holds 'not-an-address', which is not an email address")]
    public async Task Start_SettingThatCannotWork_StopsNamingTheKeyAndWhatToSet(string key, string value, string expected)
    {
        var exception = await StartUp.FailsAsync(() => new MailMvcFactory("Production", new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
