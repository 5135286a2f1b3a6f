using MailMvc.Mail;
using MailMvc.Mail.Transport;
using MailMvc.Templates;
using MailMvc.Web.Access;
using MailMvc.Web.DevMail;
using MailMvc.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Controllers;

/// <summary>Template previews and recent deliveries, in Development only.</summary>
[Route("dev/mail")]
[DevelopmentOnly]
public sealed class DevMailController : Controller
{
    private readonly MailPreviewService _previews;
    private readonly DeliveryLog _deliveries;
    private readonly IMailer _mailer;
    private readonly IEmailTemplateCatalog _catalog;
    private readonly IWebHostEnvironment _environment;

    public DevMailController(MailPreviewService previews, DeliveryLog deliveries, IMailer mailer, IEmailTemplateCatalog catalog,
        IWebHostEnvironment environment)
    {
        _environment = environment;
        _previews = previews;
        _deliveries = deliveries;
        _mailer = mailer;
        _catalog = catalog;
    }

    /// <summary>Every template in the folder as it is now, so a template just added shows, with a warning until
    /// it has a preview case.</summary>
    [HttpGet("")]
    public IActionResult Index([FromServices] IServiceProvider services)
    {
        // The transport is not created at all when sending is suppressed.
        var transport = _mailer.Options.SuppressSend == true ? null : services.GetRequiredService<IMailTransport>();
        var templates = _catalog.GetTemplates().Select(t => new TemplatePreviews(t.Name, MailPreviews.For(t.Name))).ToList();
        return View(new DevMailIndexViewModel(templates, _deliveries.Recent, TransportText.Describe(transport, _environment.ContentRootPath),
            TransportText.UsesSmtp(transport), _mailer.Options.Debug == true));
    }

    /// <summary>One case, in the language <paramref name="locale"/> names (<c>?locale=de</c>: its variant, with
    /// fallback), with a switch between the template's languages.</summary>
    [HttpGet("{template}/{name}")]
    public async Task<IActionResult> Preview(string template, string name, [FromQuery] string? locale, CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase || !MailLocale.TryParse(locale, out var culture))
        {
            return NotFound();
        }

        var cultures = _catalog.GetTemplates().FirstOrDefault(t => t.Name.Equals(previewCase.Template, StringComparison.OrdinalIgnoreCase))?.Cultures ?? [];
        return View(await _previews.PreviewAsync(previewCase, culture, cancellationToken) with { Cultures = cultures });
    }

    /// <summary>
    /// "Send this preview": the case, rendered in <paramref name="locale"/>, to <paramref name="to"/> through the app's
    /// mailer, only when <c>DevMail:SendPreviewTo</c> lists that address; then the delivery's page, with its SMTP
    /// transcript. Anything else comes back to the preview with a sentence, nothing sent.
    /// </summary>
    [HttpPost("{template}/{name}/send")]
    public async Task<IActionResult> Send(string template, string name, [FromForm] string? to, [FromForm] string? locale,
        [FromServices] IOptions<DevMailOptions> options, [FromServices] MailErrorText errors, CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase || !MailLocale.TryParse(locale, out var culture))
        {
            return NotFound();
        }

        var back = RedirectToAction(nameof(Preview), new { template = previewCase.Template, name = previewCase.Name, locale = culture?.Name });
        var allowList = options.Value;
        if (allowList.Recipients.Count == 0)
        {
            TempData[SendPreviewError] = $"Nothing was sent: set {DevMailOptions.SectionName}:{nameof(DevMailOptions.SendPreviewTo)} to your own address to send previews to yourself.";
            return back;
        }

        if (!allowList.Allows(to))
        {
            TempData[SendPreviewError] = string.IsNullOrWhiteSpace(to)
                ? "Enter the address to send the preview to."
                : $"Nothing was sent: {to.Trim()} is not on {DevMailOptions.SectionName}:{nameof(DevMailOptions.SendPreviewTo)} " +
                  $"({string.Join(", ", allowList.Recipients)}); previews go only to addresses listed there.";
            return back;
        }

        try
        {
            var receipt = await _previews.SendAsync(previewCase, culture, to!, cancellationToken);
            return _deliveries.FindByMessageId(receipt.MessageId) is { } record
                ? RedirectToAction(nameof(Delivery), new { id = record.Id })
                : back;
        }
        catch (MailDeliveryException e)
        {
            TempData[SendPreviewError] = errors.Describe(e);
            return back;
        }
    }

    /// <summary>The TempData key of the sentence a refused "Send this preview" shows.</summary>
    public const string SendPreviewError = "SendPreviewError";

    /// <summary>The HTML part alone, for the sandboxed preview frame; <c>?colors=inverted</c> as clients that invert
    /// colours show it in dark mode (<see cref="InvertedColors"/>).</summary>
    [HttpGet("{template}/{name}/html")]
    public async Task<IActionResult> Html(string template, string name, [FromQuery] string? locale, [FromQuery] string? colors,
        CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase || !MailLocale.TryParse(locale, out var culture))
        {
            return NotFound();
        }

        var (_, rendered) = await _previews.BuildAsync(previewCase, culture, cancellationToken);
        return SandboxedHtml(colors == "inverted" ? InvertedColors.Apply(rendered.Html) : rendered.Html);
    }

    [HttpGet("{template}/{name}.eml")]
    public async Task<IActionResult> Eml(string template, string name, [FromQuery] string? locale, CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase || !MailLocale.TryParse(locale, out var culture))
        {
            return NotFound();
        }

        var (mime, _) = await _previews.BuildAsync(previewCase, culture, cancellationToken);
        var stream = new MemoryStream();
        await mime.WriteToAsync(stream, cancellationToken);
        stream.Position = 0;
        return File(stream, "message/rfc822", $"{previewCase.Template}-{previewCase.Name}.eml");
    }

    [HttpGet("deliveries/{id:guid}")]
    public IActionResult Delivery(Guid id) => _deliveries.Find(id) is { } record ? View(record) : NotFound();

    /// <summary>A delivered mail's HTML part alone, for the sandboxed frame of its delivery page.</summary>
    [HttpGet("deliveries/{id:guid}/html")]
    public IActionResult DeliveryHtml(Guid id) => _deliveries.Find(id) is { Html: { } html } ? SandboxedHtml(html) : NotFound();

    /// <summary>The delivery page of a mail by its Message-ID, for the page that sent it.</summary>
    [HttpGet("deliveries/message/{messageId}")]
    public IActionResult DeliveryOf(string messageId) =>
        _deliveries.FindByMessageId(messageId) is { } record ? RedirectToAction(nameof(Delivery), new { id = record.Id }) : NotFound();

    /// <summary>
    /// A mail's HTML for a preview frame. Even opened outside its frame it runs no script (the sandbox allows none, nor
    /// does default-src). It keeps the app's origin only so the preview page can measure its height (preview-frame.js);
    /// without scripts, that origin gives it nothing. Unlike every other response (SecurityHeaders), this one may be
    /// framed, by the app's own pages only.
    /// </summary>
    private ContentResult SandboxedHtml(string html)
    {
        Response.Headers.ContentSecurityPolicy = "sandbox allow-same-origin; default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'";
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Content(html, "text/html; charset=utf-8");
    }
}
