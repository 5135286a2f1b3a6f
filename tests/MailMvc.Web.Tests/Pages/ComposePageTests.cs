using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

public sealed class ComposePageTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    private IMailer Mailer => factory.Services.GetRequiredService<IMailer>();

    private static Dictionary<string, string> Fields(string to = "ann@example.com, bob@example.com") => new()
    {
        ["To"] = to,
        ["Cc"] = "carl@example.com",
        ["Bcc"] = "dora@example.com",
        ["Subject"] = "Quarterly report & notes",
        ["Message"] = "Hi all,\n\nThe report is attached: <b>read it</b> & reply.\n\nAnn",
    };

    private static async Task<HttpResponseMessage> PostComposeAsync(HttpClient client, Dictionary<string, string> fields, Action<MultipartFormDataContent>? addFiles = null)
    {
        fields[FormPages.TokenField] = await client.GetTokenAsync("/compose", "/compose");
        using var content = FormPages.Multipart(fields);
        addFiles?.Invoke(content);
        return await client.PostAsync("/compose", content);
    }

    [Fact]
    public async Task GetCompose_Always_HasLabelledFieldsAndAntiforgeryToken()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/compose");

        foreach (var name in new[] { "To", "Cc", "Bcc", "Subject", "Message", "Attachments" })
        {
            var label = page.QuerySelectorAll("label").SingleOrDefault(l => l.TextContent.Trim() == name);
            Assert.True(label is not null, $"No label '{name}'.");
            var field = page.GetElementById(label.GetAttribute("for")!);
            Assert.NotNull(field);
            Assert.Equal(name, field.GetAttribute("name"));
        }

        Assert.Equal("file", page.GetElementById("Attachments")!.GetAttribute("type"));
        Assert.False(string.IsNullOrEmpty(page.QuerySelector<IHtmlInputElement>($"form[action='/compose'] input[name='{FormPages.TokenField}']")?.Value));
        Assert.Equal("Send", page.QuerySelector("form[action='/compose'] button[type='submit']")?.TextContent.Trim());
    }

    [Fact]
    public async Task PostCompose_ValidWithTwoAttachments_SendsAndRedirectsToSent()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var attached = new Dictionary<string, byte[]>();
        void Capture(object? sender, MessageDispatchedEventArgs e)
        {
            // The upload streams are closed once the request ends: read the content while it is being sent.
            foreach (var attachment in e.Message.Attachments)
            {
                using var copy = new MemoryStream();
                attachment.OpenRead().CopyTo(copy);
                attached[attachment.FileName!] = copy.ToArray();
            }
        }

        Mailer.Dispatched += Capture;
        byte[] pdf = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x00, 0xFF, 0x10];
        var notes = Encoding.UTF8.GetBytes("Notes: café ✓");
        HttpResponseMessage response;
        try
        {
            response = await PostComposeAsync(client, Fields(), content =>
            {
                content.AddFile("Attachments", "report.pdf", "application/pdf", pdf);
                content.AddFile("Attachments", "notes.txt", "text/plain", notes);
            });
        }
        finally
        {
            Mailer.Dispatched -= Capture;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/compose/sent", response.Headers.Location?.OriginalString);

        var message = Assert.Single(outbox.Messages);
        Assert.Equal(["ann@example.com", "bob@example.com"], message.Recipients);
        Assert.Equal(["carl@example.com"], message.Cc);
        Assert.Equal(["dora@example.com"], message.Bcc);
        Assert.Equal("Quarterly report & notes", message.Subject);
        Assert.Equal(Fields()["Message"], message.Body);
        Assert.False(string.IsNullOrWhiteSpace(message.Html));
        Assert.Contains("&lt;b&gt;read it&lt;/b&gt;", message.Html, StringComparison.Ordinal);
        Assert.Equal(["report.pdf", "notes.txt"], message.Attachments.Select(a => a.FileName));
        Assert.Equal(["application/pdf", "text/plain"], message.Attachments.Select(a => a.ContentType));
        Assert.Equal(pdf, attached["report.pdf"]);
        Assert.Equal(notes, attached["notes.txt"]);

        var sent = await client.GetPageAsync("/compose/sent");
        var recipients = sent.QuerySelector(".sent-recipients")?.TextContent ?? "";
        foreach (var address in new[] { "ann@example.com", "bob@example.com", "carl@example.com", "dora@example.com" })
        {
            Assert.Contains(address, recipients, StringComparison.Ordinal);
        }

        Assert.Equal($"<{message.MessageId}>", sent.QuerySelector(".sent-message-id")?.TextContent);
    }

    [Fact]
    public async Task PostCompose_InvalidAddress_ShowsErrorBesideToKeepsFieldsSendsNothing()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var fields = Fields(to: "ann@example.com, ann.example.com");

        var response = await PostComposeAsync(client, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Equal("'ann.example.com' is not a valid email address.", page.ErrorBeside("To"));
        Assert.Equal("", page.ErrorBeside("Subject"));
        Assert.Equal("ann@example.com, ann.example.com", page.QuerySelector<IHtmlInputElement>("input[name='To']")?.Value);
        Assert.Equal("carl@example.com", page.QuerySelector<IHtmlInputElement>("input[name='Cc']")?.Value);
        Assert.Equal("dora@example.com", page.QuerySelector<IHtmlInputElement>("input[name='Bcc']")?.Value);
        Assert.Equal("Quarterly report & notes", page.QuerySelector<IHtmlInputElement>("input[name='Subject']")?.Value);
        Assert.Equal(Fields()["Message"], page.QuerySelector<IHtmlTextAreaElement>("textarea[name='Message']")?.Value);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostCompose_SendAtWhileTheOutboxIsOff_SaysTheOutboxIsNeededAndSendsNothing()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var fields = Fields();
        fields["SendAt"] = DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var response = await PostComposeAsync(client, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Equal(Controllers.ComposeController.SendLaterNeedsTheOutbox, page.ErrorBeside("SendAt"));
        Assert.Contains("Mail:Outbox:Enabled=true", page.ErrorBeside("SendAt"), StringComparison.Ordinal);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostCompose_WithoutAntiforgeryToken_Returns400AndSendsNothing()
    {
        using var outbox = Mailer.RecordMessages();
        using var content = FormPages.Multipart(Fields());

        var response = await factory.CreateBrowser().PostAsync("/compose", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(outbox.Messages);
    }
}
