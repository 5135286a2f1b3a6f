using AngleSharp.Html.Parser;
using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Templates.Lint;
using MimeKit;

namespace MailMvc.Web.DevMail;

/// <summary>Renders preview cases into what the preview page shows: the MIME message exactly as it would be
/// sent, its size, and checks a developer wants before mailing real people.</summary>
public sealed class MailPreviewService
{
    private readonly IEmailRenderer _renderer;
    private readonly IMailer _mailer;
    private readonly EmailLint _lint;

    public MailPreviewService(IEmailRenderer renderer, IMailer mailer, EmailLint lint)
    {
        _renderer = renderer;
        _mailer = mailer;
        _lint = lint;
    }

    /// <summary>Builds the message of a case, as <see cref="IMailer"/> would send it.</summary>
    public async Task<(MimeMessage Mime, RenderedEmail Rendered)> BuildAsync(MailPreviewCase previewCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previewCase);
        var rendered = await previewCase.Render(_renderer, cancellationToken);
        var message = new Message(subject: rendered.Subject, recipients: [previewCase.To], body: rendered.Text, html: rendered.Html,
            sender: string.IsNullOrEmpty(_mailer.Options.DefaultSender) ? new EmailAddress("previews@example.com") : null,
            date: DateTimeOffset.Now);
        foreach (var (fileName, contentType, content) in previewCase.Attachments)
        {
            message.Attach(fileName, contentType, content);
        }

        return (message.ToMimeMessage(_mailer.Options), rendered);
    }

    public async Task<MailPreview> PreviewAsync(MailPreviewCase previewCase, CancellationToken cancellationToken)
    {
        var (mime, rendered) = await BuildAsync(previewCase, cancellationToken);
        using var source = new MemoryStream();
        await mime.WriteToAsync(source, cancellationToken);

        var document = new HtmlParser().ParseDocument(rendered.Html);
        var problems = new List<string>();
        foreach (var image in document.Images.Where(i => string.IsNullOrWhiteSpace(i.AlternativeText)))
        {
            problems.Add($"Image without alt text: {image.Source}");
        }

        if (string.IsNullOrWhiteSpace(rendered.Text))
        {
            problems.Add("No plain-text part: some clients and spam filters expect one.");
        }

        var links = document.QuerySelectorAll("a[href]")
            .Select(a => new LinkInfo(a.TextContent.Trim(), a.GetAttribute("href")!))
            .ToList();
        var attachments = mime.Attachments.OfType<MimePart>()
            .Select(p => new AttachmentInfo(p.FileName ?? "(no name)", p.ContentType.MimeType, p.Content?.Stream?.Length ?? 0))
            .ToList();

        var size = source.Length;
        if (size > MailPreview.GmailClipBytes)
        {
            problems.Add($"The message is {Size.Format(size)}; Gmail clips messages above about 102 KB.");
        }

        return new MailPreview(previewCase, MessageHeaders.Create(mime), rendered.Html, rendered.Text,
            System.Text.Encoding.UTF8.GetString(source.ToArray()), size, attachments, problems, links)
        {
            Findings = _lint.Lint(rendered),
        };
    }
}
