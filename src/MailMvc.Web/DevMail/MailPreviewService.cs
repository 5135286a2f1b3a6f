using System.Globalization;
using AngleSharp.Html.Parser;
using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Templates.Lint;
using MailMvc.Web.Unsubscribe;
using MimeKit;

namespace MailMvc.Web.DevMail;

/// <summary>Renders preview cases into what the preview page shows: the MIME message exactly as it would be
/// sent, its size, and checks a developer wants before mailing real people.</summary>
public sealed class MailPreviewService
{
    /// <summary>The header every preview sent to yourself carries, so filters and people can tell it from real mail.</summary>
    public const string PreviewHeader = "X-MailMvc-Preview";

    /// <summary>What the subject of a preview sent to yourself starts with.</summary>
    public const string SubjectPrefix = "[Preview] ";

    private readonly IEmailRenderer _renderer;
    private readonly IMailer _mailer;
    private readonly EmailLint _lint;

    private readonly UnsubscribeLinks _links;

    public MailPreviewService(IEmailRenderer renderer, IMailer mailer, UnsubscribeLinks links, EmailLint lint)
    {
        _renderer = renderer;
        _mailer = mailer;
        _links = links;
        _lint = lint;
    }

    /// <summary>Builds the message of a case, as <see cref="IMailer"/> would send it.</summary>
    /// <param name="previewCase">The case.</param>
    /// <param name="culture">The language to render it in (its variant, with fallback), or null for the template's own.</param>
    /// <param name="cancellationToken">Stops the render.</param>
    public async Task<(MimeMessage Mime, RenderedEmail Rendered)> BuildAsync(MailPreviewCase previewCase, CultureInfo? culture, CancellationToken cancellationToken)
    {
        var (message, rendered) = await CreateMessageAsync(previewCase, culture, cancellationToken);
        return (message.ToMimeMessage(_mailer.Options), rendered);
    }

    /// <summary>Sends the case, rendered as the preview shows it, to <paramref name="to"/> through the app's mailer (its
    /// transport, interceptors and outbox), marked as a preview: the <see cref="PreviewHeader"/> header and the
    /// <see cref="SubjectPrefix"/>. The caller checks <paramref name="to"/> against <c>DevMail:SendPreviewTo</c>.</summary>
    /// <exception cref="MailDeliveryException">The transport could not send it.</exception>
    public async Task<MailReceipt> SendAsync(MailPreviewCase previewCase, CultureInfo? culture, string to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        var (message, _) = await CreateMessageAsync(previewCase, culture, cancellationToken);
        message.Subject = SubjectPrefix + message.Subject;
        message.Recipients.Clear();
        message.AddRecipient(to.Trim());
        message.ExtraHeaders[PreviewHeader] = "true";
        return await _mailer.SendAsync(message, cancellationToken);
    }

    private async Task<(Message Message, RenderedEmail Rendered)> CreateMessageAsync(MailPreviewCase previewCase, CultureInfo? culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previewCase);
        // A list case gets the recipient's one-click link, in the body and the headers, as the list sends it.
        var unsubscribe = previewCase.List is { } list ? _links.LinkFor(previewCase.To, list) : null;
        var rendered = unsubscribe is not null && previewCase.RenderForList is { } renderForList
            ? await renderForList(_renderer, unsubscribe.AbsoluteUri, culture, cancellationToken)
            : await previewCase.Render(_renderer, culture, cancellationToken);
        var message = new Message(subject: rendered.Subject, recipients: [previewCase.To], body: rendered.Text, html: rendered.Html,
            sender: string.IsNullOrEmpty(_mailer.Options.DefaultSender) ? new EmailAddress("previews@example.com") : null,
            date: DateTimeOffset.Now);
        foreach (var (fileName, contentType, content) in previewCase.Attachments)
        {
            message.Attach(fileName, contentType, content);
        }

        if (unsubscribe is not null)
        {
            message.SetListUnsubscribe(unsubscribe, _links.MailToFor(previewCase.To, previewCase.List!));
        }

        return (message, rendered);
    }

    public async Task<MailPreview> PreviewAsync(MailPreviewCase previewCase, CultureInfo? culture, CancellationToken cancellationToken)
    {
        var (mime, rendered) = await BuildAsync(previewCase, culture, cancellationToken);
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
            Culture = rendered.Culture,
            AllHeaders = mime.Headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value)).ToList(),
        };
    }
}
