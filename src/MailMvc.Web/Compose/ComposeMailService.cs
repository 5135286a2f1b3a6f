using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.Scheduling;

namespace MailMvc.Web.Compose;

/// <summary>Turns a validated compose form into a mail (the Compose template for HTML, the typed text as
/// the plain part) and sends it.</summary>
public sealed class ComposeMailService
{
    private readonly IMailer _mailer;
    private readonly IEmailRenderer _renderer;

    public ComposeMailService(IMailer mailer, IEmailRenderer renderer)
    {
        _mailer = mailer;
        _renderer = renderer;
    }

    /// <summary>The mail as it will be sent: the Compose template around the message (rendered from Markdown when
    /// <see cref="ComposeForm.Markdown"/> is on), and the message as typed for the text part.</summary>
    public async Task<RenderedEmail> RenderAsync(ComposeForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var body = form.Message ?? "";
        var model = new ComposeModel(form.Subject ?? "", body, form.Markdown ? ComposeMarkdown.ToHtml(body) : null);
        var rendered = await _renderer.RenderAsync("Compose", model, cancellationToken);
        return rendered with { Text = body };
    }

    /// <summary>Sends the mail.</summary>
    /// <returns>What became of it: delivered or queued, its Message-ID and recipients.</returns>
    /// <exception cref="MailDeliveryException">The server could not take the mail.</exception>
    public async Task<MailReceipt> SendAsync(ComposeForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var rendered = await RenderAsync(form, cancellationToken);

        var message = new Message(
            subject: form.Subject ?? "",
            recipients: AddressList.Split(form.To),
            body: rendered.Text,
            html: rendered.Html,
            cc: AddressList.Split(form.Cc),
            bcc: AddressList.Split(form.Bcc))
        {
            NotBefore = SendAtTime.Resolve(form.SendAt, form.TimeZone),
        };

        var streams = new List<Stream>();
        try
        {
            foreach (var file in form.Attachments)
            {
                var stream = file.OpenReadStream();
                streams.Add(stream);
                message.Attach(Path.GetFileName(file.FileName), file.ContentType, stream);
            }

            return await _mailer.SendAsync(message, cancellationToken);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
