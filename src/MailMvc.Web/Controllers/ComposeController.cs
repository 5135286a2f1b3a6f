using FluentValidation;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Web.Access;
using MailMvc.Web.Compose;
using MailMvc.Web.Infrastructure;
using MailMvc.Web.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MailMvc.Web.Controllers;

/// <summary>The compose page: write a mail with attachments and send it.</summary>
[Route("compose")]
[SendingAccess]
public sealed partial class ComposeController : Controller
{
    private readonly ComposeMailService _sender;
    private readonly IValidator<ComposeForm> _validator;
    private readonly RecipientBudget _budget;
    private readonly MailErrorText _errors;
    private readonly IWebHostEnvironment _environment;
    private readonly ILogger<ComposeController> _logger;

    public ComposeController(ComposeMailService sender, IValidator<ComposeForm> validator, RecipientBudget budget, MailErrorText errors,
        IWebHostEnvironment environment, ILogger<ComposeController> logger)
    {
        _sender = sender;
        _validator = validator;
        _budget = budget;
        _errors = errors;
        _environment = environment;
        _logger = logger;
    }

    [HttpGet("")]
    public IActionResult Index() => View(new ComposeForm());

    [HttpPost("")]
    [EnableRateLimiting(RateLimits.Sending)]
    [RequestFormLimits(MultipartBodyLengthLimit = ComposeOptionsValidator.MaxRequestBytes)]
    [RequestSizeLimit(ComposeOptionsValidator.MaxRequestBytes)]
    public async Task<IActionResult> Index(ComposeForm form, CancellationToken cancellationToken)
    {
        var validation = await _validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState);
            return View(form);
        }

        if (form.SendAt is not null && !IsOutboxOn)
        {
            ModelState.AddModelError(nameof(ComposeForm.SendAt), SendLaterNeedsTheOutbox);
            return View(form);
        }

        var budget = _budget.TryTake(ClientAddress.Of(HttpContext), form.RecipientCount);
        if (!budget.Allowed)
        {
            ModelState.AddModelError("", $"{budget.Describe(_budget.Now)} Nothing you typed was lost{AttachAgain(form)}.");
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View(form);
        }

        try
        {
            var receipt = await _sender.SendAsync(form, cancellationToken);
            if (receipt is { Disposition: MailDisposition.Suppressed, Reason: { } suppressed })
            {
                ModelState.AddModelError("", $"Not sent: {suppressed}. Remove the address from the suppression list to send to it again.");
                return View(form);
            }

            TempData[nameof(SentViewModel.Recipients)] = RecipientSummary.Describe(receipt.Recipients);
            TempData[nameof(SentViewModel.MessageId)] = receipt.MessageId;
            TempData[nameof(SentViewModel.Queued)] = receipt.Disposition == MailDisposition.Queued;
            TempData[nameof(SentViewModel.WrittenTo)] = TransportText.WrittenFile(receipt, _environment.ContentRootPath);
            TempData[nameof(SentViewModel.ScheduledFor)] = receipt.NotBefore is { } at ? SendAtTime.Describe(at, form.TimeZone) : null;
            return RedirectToAction(nameof(Sent));
        }
        catch (MailDeliveryException e)
        {
            LogSendFailed(_logger, e.GetType().Name, e.ServerReply, e);
            ModelState.AddModelError("", $"{_errors.Describe(e)} Nothing you typed was lost{AttachAgain(form)} and try again.");
            return View(form);
        }
    }

    /// <summary>
    /// The mail the form would send, for the preview frame on the compose page: the form's Preview button posts the
    /// form here with the frame as its target, so no script is needed. Sandboxed like every mail preview: the mail's
    /// HTML runs no script and may be framed by the app's own pages only.
    /// </summary>
    [HttpPost("preview")]
    [RequestFormLimits(MultipartBodyLengthLimit = ComposeOptionsValidator.MaxRequestBytes)]
    [RequestSizeLimit(ComposeOptionsValidator.MaxRequestBytes)]
    public async Task<IActionResult> Preview(ComposeForm form, CancellationToken cancellationToken)
    {
        var rendered = await _sender.RenderAsync(form, cancellationToken);
        return SandboxedMail.Content(Response, rendered.Html);
    }

    [HttpGet("sent")]
    public IActionResult Sent()
    {
        if (TempData[nameof(SentViewModel.MessageId)] is not string messageId)
        {
            return RedirectToAction(nameof(Index));
        }

        return View(new SentViewModel((TempData[nameof(SentViewModel.Recipients)] as string) ?? "", messageId,
            TempData[nameof(SentViewModel.Queued)] is true, TempData[nameof(SentViewModel.WrittenTo)] as string)
        {
            ScheduledFor = TempData[nameof(SentViewModel.ScheduledFor)] as string,
        });
    }

    /// <summary>Said beside Send at when the outbox, which keeps mail until its time, is off.</summary>
    public const string SendLaterNeedsTheOutbox =
        "Sending later needs the outbox, which is off here: an administrator turns it on with Mail:Outbox:Enabled=true. Leave Send at empty to send now.";

    private bool IsOutboxOn => HttpContext.RequestServices.GetService<IMailOutbox>() is { IsEnabled: true };

    private static string AttachAgain(ComposeForm form) => form.Attachments.Count > 0 ? "; choose the attachments again" : "";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compose mail not sent ({Error}); server reply: {ServerReply}")]
    private static partial void LogSendFailed(ILogger logger, string error, string? serverReply, Exception exception);
}
