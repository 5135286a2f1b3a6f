using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Access;
using MailMvc.Web.Infrastructure;
using MailMvc.Web.Welcome;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace MailMvc.Web.Controllers;

/// <summary>Welcome mails: to one person, or to every row of an uploaded CSV list.</summary>
[Route("welcome")]
[SendingAccess]
public sealed partial class WelcomeController : Controller
{
    private const int ResultsShown = 1000;

    private readonly IMailer _mailer;
    private readonly WelcomeMailFactory _factory;
    private readonly BulkWelcomeService _bulk;
    private readonly BulkWelcomeJobs _jobs;
    private readonly RecipientBudget _budget;
    private readonly MailErrorText _errors;
    private readonly ILogger<WelcomeController> _logger;

    public WelcomeController(IMailer mailer, WelcomeMailFactory factory, BulkWelcomeService bulk, BulkWelcomeJobs jobs, RecipientBudget budget,
        MailErrorText errors, ILogger<WelcomeController> logger)
    {
        _mailer = mailer;
        _factory = factory;
        _bulk = bulk;
        _jobs = jobs;
        _budget = budget;
        _errors = errors;
        _logger = logger;
    }

    [HttpGet("")]
    public IActionResult Index() => View(new WelcomePageModel());

    [HttpPost("")]
    [EnableRateLimiting(RateLimits.Sending)]
    public async Task<IActionResult> Send([Bind(Prefix = nameof(WelcomePageModel.Single))] WelcomeForm form,
        [FromServices] IValidator<WelcomeForm> validator, CancellationToken cancellationToken)
    {
        var page = new WelcomePageModel { Single = form };
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState, nameof(WelcomePageModel.Single) + ".");
            return View(nameof(Index), page);
        }

        var budget = _budget.TryTake(ClientAddress.Of(HttpContext), 1);
        if (!budget.Allowed)
        {
            ModelState.AddModelError("", budget.Describe(_budget.Now));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View(nameof(Index), page);
        }

        try
        {
            var message = await _factory.CreateAsync(form.Name!, form.Email!, cancellationToken);
            var receipt = await _mailer.SendAsync(message, cancellationToken);
            var queued = receipt.Disposition == MailDisposition.Queued;
            TempData["WelcomeSent"] = queued
                ? $"Welcome mail to {form.Email} queued for delivery (Message-ID <{receipt.MessageId}>)."
                : $"Welcome mail sent to {form.Email} (Message-ID <{receipt.MessageId}>).";
            TempData["WelcomeQueued"] = queued;
            return RedirectToAction(nameof(Index));
        }
        catch (MailDeliveryException e)
        {
            LogSendFailed(_logger, e.GetType().Name, e.ServerReply, e);
            ModelState.AddModelError("", _errors.Describe(e));
            return View(nameof(Index), page);
        }
    }

    [HttpPost("bulk")]
    [EnableRateLimiting(RateLimits.Sending)]
    [RequestFormLimits(MultipartBodyLengthLimit = BulkWelcomeOptionsValidator.MaxRequestBytes)]
    [RequestSizeLimit(BulkWelcomeOptionsValidator.MaxRequestBytes)]
    public async Task<IActionResult> Bulk([Bind(Prefix = nameof(WelcomePageModel.Bulk))] BulkWelcomeForm form,
        [FromServices] IValidator<BulkWelcomeForm> validator, CancellationToken cancellationToken)
    {
        var page = new WelcomePageModel { Bulk = form };
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState, nameof(WelcomePageModel.Bulk) + ".");
            return View(nameof(Index), page);
        }

        var (job, problem, overBudget) = await _bulk.StartAsync(form.List!, ClientAddress.Of(HttpContext), cancellationToken);
        if (job is null)
        {
            ModelState.AddModelError($"{nameof(WelcomePageModel.Bulk)}.{nameof(BulkWelcomeForm.List)}", problem!);
            if (overBudget)
            {
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
            }

            return View(nameof(Index), page);
        }

        return RedirectToAction(nameof(Job), new { id = job.Id });
    }

    [HttpGet("bulk/{id:guid}")]
    public async Task<IActionResult> Job(Guid id, CancellationToken cancellationToken)
    {
        if (_jobs.Find(id) is not { } job)
        {
            return NotFound();
        }

        var results = job.IsDone && System.IO.File.Exists(job.ResultsPath)
            ? await BulkResultsReader.ReadAsync(job.ResultsPath, ResultsShown, cancellationToken)
            : [];
        return View(new BulkJobViewModel(job, results, job.Processed > results.Count));
    }

    [HttpGet("bulk/{id:guid}/status")]
    public IActionResult Status(Guid id) => _jobs.Find(id) is { } job
        ? Json(new { job.Total, job.Processed, job.Sent, job.Queued, job.Invalid, job.Refused, job.Failed, job.IsDone, job.Error, job.UsesOutbox })
        : NotFound();

    [HttpGet("bulk/{id:guid}/results.csv")]
    public IActionResult Results(Guid id) => _jobs.Find(id) is { IsDone: true } job && System.IO.File.Exists(job.ResultsPath)
        ? PhysicalFile(job.ResultsPath, "text/csv", $"welcome-results-{id:N}.csv")
        : NotFound();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Welcome mail not sent ({Error}); server reply: {ServerReply}")]
    private static partial void LogSendFailed(ILogger logger, string error, string? serverReply, Exception exception);
}
