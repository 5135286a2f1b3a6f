using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.Access;
using MailMvc.Web.DevMail;
using Microsoft.AspNetCore.Mvc;

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

    public DevMailController(MailPreviewService previews, DeliveryLog deliveries, IMailer mailer, IEmailTemplateCatalog catalog)
    {
        _previews = previews;
        _deliveries = deliveries;
        _mailer = mailer;
        _catalog = catalog;
    }

    /// <summary>Every template in the folder as it is now, so a template just added shows, with a warning until
    /// it has a preview case.</summary>
    [HttpGet("")]
    public IActionResult Index()
    {
        var templates = _catalog.GetTemplates().Select(t => new TemplatePreviews(t.Name, MailPreviews.For(t.Name))).ToList();
        return View(new DevMailIndexViewModel(templates, _deliveries.Recent, _mailer.TransportDescription, _mailer.Options.Debug == true));
    }

    [HttpGet("{template}/{name}")]
    public async Task<IActionResult> Preview(string template, string name, CancellationToken cancellationToken) =>
        MailPreviews.Find(template, name) is { } previewCase
            ? View(await _previews.PreviewAsync(previewCase, cancellationToken))
            : NotFound();

    /// <summary>The HTML part alone, for the sandboxed preview frame.</summary>
    [HttpGet("{template}/{name}/html")]
    public async Task<IActionResult> Html(string template, string name, CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase)
        {
            return NotFound();
        }

        var (_, rendered) = await _previews.BuildAsync(previewCase, cancellationToken);
        // Even opened outside its frame, the mail's HTML runs no script and cannot reach the app. Unlike every other
        // response (SecurityHeaders), this one may be framed, by the app's own preview page only.
        Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'";
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Content(rendered.Html, "text/html; charset=utf-8");
    }

    [HttpGet("{template}/{name}.eml")]
    public async Task<IActionResult> Eml(string template, string name, CancellationToken cancellationToken)
    {
        if (MailPreviews.Find(template, name) is not { } previewCase)
        {
            return NotFound();
        }

        var (mime, _) = await _previews.BuildAsync(previewCase, cancellationToken);
        var stream = new MemoryStream();
        await mime.WriteToAsync(stream, cancellationToken);
        stream.Position = 0;
        return File(stream, "message/rfc822", $"{previewCase.Template}-{previewCase.Name}.eml");
    }

    [HttpGet("deliveries/{id:guid}")]
    public IActionResult Delivery(Guid id) => _deliveries.Find(id) is { } record ? View(record) : NotFound();
}
