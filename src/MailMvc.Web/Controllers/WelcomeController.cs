using FluentValidation;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using MailMvc.Web.Access;
using MailMvc.Web.Infrastructure;
using MailMvc.Web.Outbox;
using MailMvc.Web.Scheduling;
using MailMvc.Web.Welcome;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Controllers;

/// <summary>Welcome mails: to one person, or to every row of an uploaded CSV list, sent as a durable job.</summary>
[Route("welcome")]
[SendingAccess]
public sealed partial class WelcomeController : Controller
{
    private const int RowsPerPage = 100;
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromSeconds(10);
    private static readonly BulkJobState[] s_cancellable = [BulkJobState.Checked, BulkJobState.Running, BulkJobState.Paused];

    private readonly IMailer _mailer;
    private readonly WelcomeMailFactory _factory;
    private readonly IBulkJobStore _store;
    private readonly BulkJobRunner _runner;
    private readonly TimeProvider _time;
    private readonly RecipientBudget _budget;
    private readonly MailErrorText _errors;
    private readonly ILogger<WelcomeController> _logger;

    public WelcomeController(IMailer mailer, WelcomeMailFactory factory, IBulkJobStore store, BulkJobRunner runner, TimeProvider time,
        RecipientBudget budget, MailErrorText errors, ILogger<WelcomeController> logger)
    {
        _mailer = mailer;
        _factory = factory;
        _store = store;
        _runner = runner;
        _time = time;
        _budget = budget;
        _errors = errors;
        _logger = logger;
    }

    [HttpGet("")]
    public IActionResult Index() => View(new WelcomePageModel());

    [HttpPost("")]
    [EnableRateLimiting(RateLimits.Sending)]
    public async Task<IActionResult> Send([Bind(Prefix = nameof(WelcomePageModel.Single))] WelcomeForm form,
        [FromServices] IValidator<WelcomeForm> validator, [FromServices] IHostEnvironment environment, CancellationToken cancellationToken)
    {
        var page = new WelcomePageModel { Single = form };
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState, nameof(WelcomePageModel.Single) + ".");
            return View(nameof(Index), page);
        }

        if (form.SendAt is not null && HttpContext.RequestServices.GetService<IMailOutbox>() is not { IsEnabled: true })
        {
            ModelState.AddModelError($"{nameof(WelcomePageModel.Single)}.{nameof(WelcomeForm.SendAt)}", ComposeController.SendLaterNeedsTheOutbox);
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
            var message = await _factory.CreateAsync(form.Name!, form.Email!, form.Locale, cancellationToken);
            message.NotBefore = SendAtTime.Resolve(form.SendAt, form.TimeZone);
            var receipt = await _mailer.SendAsync(message, cancellationToken);
            if (receipt is { Disposition: MailDisposition.Suppressed, Reason: { } suppressed })
            {
                ModelState.AddModelError("", $"Welcome mail not sent: {suppressed}. Remove the address from the suppression list to send to it again.");
                return View(nameof(Index), page);
            }

            var queued = receipt.Disposition == MailDisposition.Queued;
            var file = TransportText.WrittenFile(receipt, environment.ContentRootPath);
            TempData["WelcomeSent"] = receipt.NotBefore is { } at
                ? $"Welcome mail to {form.Email} scheduled for {SendAtTime.Describe(at, form.TimeZone)} (Message-ID <{receipt.MessageId}>); the outbox keeps it until then."
                : queued
                ? $"Welcome mail to {form.Email} queued for delivery (Message-ID <{receipt.MessageId}>)."
                : file is not null
                    ? $"Welcome mail to {form.Email} written to {file}, in the pickup folder: no SMTP server is set, so it did not leave this machine."
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

    /// <summary>Reads the list into a job. "Check this list" (<paramref name="mode"/> <c>check</c>) stops there; sending
    /// starts at once unless an earlier upload of the same list already sent some rows (the page then asks).</summary>
    [HttpPost("bulk")]
    [EnableRateLimiting(RateLimits.Sending)]
    [RequestFormLimits(MultipartBodyLengthLimit = BulkWelcomeOptionsValidator.MaxRequestBytes)]
    [RequestSizeLimit(BulkWelcomeOptionsValidator.MaxRequestBytes)]
    public async Task<IActionResult> Bulk([Bind(Prefix = nameof(WelcomePageModel.Bulk))] BulkWelcomeForm form, [FromForm] string? mode,
        [FromServices] IValidator<BulkWelcomeForm> validator, [FromServices] BulkListImporter importer, CancellationToken cancellationToken)
    {
        var page = new WelcomePageModel { Bulk = form };
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState, nameof(WelcomePageModel.Bulk) + ".");
            return View(nameof(Index), page);
        }

        if (form.SendAt is not null && HttpContext.RequestServices.GetService<IMailOutbox>() is not { IsEnabled: true })
        {
            ModelState.AddModelError($"{nameof(WelcomePageModel.Bulk)}.{nameof(BulkWelcomeForm.SendAt)}", ComposeController.SendLaterNeedsTheOutbox);
            return View(nameof(Index), page);
        }

        BulkImportResult imported;
        // The form's temporary file is deleted when the request ends; the rows live in the store from here on.
        await using (var list = form.List!.OpenReadStream())
        {
            imported = await importer.ImportAsync(list, form.List.FileName, BulkJobOwner.ForUpload(HttpContext), cancellationToken,
                SendAtTime.Resolve(form.SendAt, form.TimeZone), form.SendAt is null ? null : SendAtTime.ZoneName(form.TimeZone));
        }

        if (imported.JobId is not { } id)
        {
            ModelState.AddModelError($"{nameof(WelcomePageModel.Bulk)}.{nameof(BulkWelcomeForm.List)}", imported.Problem!);
            return View(nameof(Index), page);
        }

        LogImported(_logger, id);
        if (mode != "check" && await _store.CountSentEarlierAsync(id, cancellationToken) == 0)
        {
            // A list counts its rows against the client's recipient budget: refused whole, before anything is sent.
            if (await TakeBudgetAsync(id, cancellationToken) is { Allowed: false } refused)
            {
                await _store.DeleteJobAsync(id, cancellationToken);
                ModelState.AddModelError($"{nameof(WelcomePageModel.Bulk)}.{nameof(BulkWelcomeForm.List)}",
                    $"{refused.Describe(_budget.Now)} Nothing from this list was sent.");
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return View(nameof(Index), page);
            }

            await StartAsync(id, cancellationToken);
        }

        return RedirectToAction(nameof(Job), new { id });
    }

    [HttpPost("bulk/{id}/start")]
    [EnableRateLimiting(RateLimits.Sending)]
    public async Task<IActionResult> Start(string id, [FromForm] bool resend, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { State: BulkJobState.Checked })
        {
            return NotFound();
        }

        if (!resend)
        {
            await _store.SkipSentEarlierAsync(id, cancellationToken);
        }

        if (await TakeBudgetAsync(id, cancellationToken) is { Allowed: false } refused)
        {
            TempData["BulkNotice"] = refused.Describe(_budget.Now);
            return RedirectToAction(nameof(Job), new { id });
        }

        await StartAsync(id, cancellationToken);
        return RedirectToAction(nameof(Job), new { id });
    }

    [HttpPost("bulk/{id}/pause")]
    public Task<IActionResult> Pause(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, [BulkJobState.Running], BulkJobState.Paused, cancellationToken);

    [HttpPost("bulk/{id}/resume")]
    public Task<IActionResult> Resume(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, [BulkJobState.Paused], BulkJobState.Running, cancellationToken);

    [HttpPost("bulk/{id}/cancel")]
    public Task<IActionResult> Cancel(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s_cancellable, BulkJobState.Cancelled, cancellationToken);

    /// <summary>The job's page: the summary, then a page of rows (problems first, or one outcome).</summary>
    [HttpGet("bulk/{id}")]
    public async Task<IActionResult> Job(string id, [FromQuery] string? show, [FromQuery] int page, [FromServices] IOptions<BulkWelcomeOptions> options,
        [FromServices] SendBudgets budgets, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } job)
        {
            return NotFound();
        }

        var now = _time.GetUtcNow();
        var counts = await _store.CountAsync(id, now - s_rateWindow, cancellationToken);
        var filter = Enum.TryParse<BulkRowOutcome>(show, ignoreCase: true, out var outcome) ? outcome : (BulkRowOutcome?)null;
        var shown = filter is { } only ? counts[only] : counts.Total;
        var pageCount = Math.Max(1, (shown + RowsPerPage - 1) / RowsPerPage);
        page = Math.Clamp(page, 1, pageCount);
        var rows = job.State == BulkJobState.Checked && filter is null
            ? await _store.ListRowsAsync(id, BulkJobViewModel.ProblemOutcomes, 0, RowsPerPage, cancellationToken)
            : await ListPageAsync(id, filter, counts, (page - 1) * RowsPerPage, cancellationToken);
        var (rate, finish) = Progress(job, counts, now);
        var check = job.State == BulkJobState.Checked ? await CheckAsync(job, counts, options.Value, cancellationToken) : null;
        return View(new BulkJobViewModel(job, counts, UsesOutbox(counts), rate, finish, rows, filter, page, pageCount, check)
        {
            BudgetFinish = await BudgetFinishAsync(job, counts, budgets, now, cancellationToken),
        });
    }

    [HttpGet("bulk/{id}/status")]
    public async Task<IActionResult> Status(string id, [FromServices] SendBudgets budgets, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } job)
        {
            return NotFound();
        }

        var now = _time.GetUtcNow();
        var counts = await _store.CountAsync(id, now - s_rateWindow, cancellationToken);
        var (rate, finish) = Progress(job, counts, now);
        var usesOutbox = UsesOutbox(counts);
        return Json(new
        {
            State = job.State.ToString().ToLowerInvariant(),
            Headline = BulkJobViewModel.HeadlineFor(job, counts, usesOutbox).Text,
            counts.Total,
            counts.Processed,
            Waiting = counts.Open,
            Sent = counts[BulkRowOutcome.Sent],
            Queued = counts[BulkRowOutcome.Queued],
            Invalid = counts[BulkRowOutcome.Invalid],
            Refused = counts[BulkRowOutcome.Refused],
            Failed = counts[BulkRowOutcome.Failed],
            Skipped = counts[BulkRowOutcome.Skipped],
            Cancelled = counts[BulkRowOutcome.Cancelled],
            Suppressed = counts[BulkRowOutcome.Suppressed],
            IsDone = BulkJobViewModel.IsDoneFor(job, counts),
            job.Error,
            UsesOutbox = usesOutbox,
            RatePerSecond = rate,
            ExpectedFinish = finish,
            BudgetFinish = await BudgetFinishAsync(job, counts, budgets, now, cancellationToken),
        });
    }

    /// <summary>Every row's result as CSV, streamed from the store.</summary>
    [HttpGet("bulk/{id}/results.csv")]
    public async Task<IActionResult> Results(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"welcome-results-{id}.csv\"";
        await BulkResultsCsv.WriteAsync(_store.ReadRowsAsync(id, cancellationToken), Response.Body, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>The job when it exists and this request may see it (its uploader, or an admin); else null, so a job
    /// of someone else looks like no job at all.</summary>
    private async Task<BulkJob?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!BulkJobId.IsWellFormed(id) || await _store.GetJobAsync(id, cancellationToken) is not { } job)
        {
            return null;
        }

        var adminRole = HttpContext.RequestServices.GetRequiredService<IOptions<OutboxPageOptions>>().Value.AdminRole;
        return BulkJobOwner.CanSee(HttpContext, job, adminRole) ? job : null;
    }

    private async Task<RecipientBudgetDecision> TakeBudgetAsync(string id, CancellationToken cancellationToken)
    {
        var counts = await _store.CountAsync(id, _time.GetUtcNow(), cancellationToken);
        return _budget.TryTake(ClientAddress.Of(HttpContext), counts[BulkRowOutcome.Waiting]);
    }

    private async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, cancellationToken))
        {
            _runner.Started(id);
        }
    }

    private async Task<IActionResult> ChangeAsync(string id, IReadOnlyCollection<BulkJobState> from, BulkJobState to, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        if (await _store.ChangeStateAsync(id, from, to, cancellationToken))
        {
            if (to == BulkJobState.Running)
            {
                _runner.Started(id);
            }
            else
            {
                _runner.Stopped(id);
            }

            LogStateChanged(_logger, id, to);
        }

        return RedirectToAction(nameof(Job), new { id });
    }

    /// <summary>One page of rows: with no filter, the problem rows first, then the others, each by line.</summary>
    private async Task<IReadOnlyList<BulkRowResult>> ListPageAsync(string id, BulkRowOutcome? filter, BulkJobCounts counts, int offset,
        CancellationToken cancellationToken)
    {
        if (filter is { } only)
        {
            return await _store.ListRowsAsync(id, [only], offset, RowsPerPage, cancellationToken);
        }

        var others = Enum.GetValues<BulkRowOutcome>().Except(BulkJobViewModel.ProblemOutcomes).ToList();
        if (offset >= counts.Problems)
        {
            return await _store.ListRowsAsync(id, others, offset - counts.Problems, RowsPerPage, cancellationToken);
        }

        var rows = (await _store.ListRowsAsync(id, BulkJobViewModel.ProblemOutcomes, offset, RowsPerPage, cancellationToken)).ToList();
        if (rows.Count < RowsPerPage)
        {
            rows.AddRange(await _store.ListRowsAsync(id, others, 0, RowsPerPage - rows.Count, cancellationToken));
        }

        return rows;
    }

    /// <summary>The dry run's figures: one sample mail rendered, sizes and time estimated from it.</summary>
    private async Task<BulkCheckSummary> CheckAsync(BulkJob job, BulkJobCounts counts, BulkWelcomeOptions options, CancellationToken cancellationToken)
    {
        var sentEarlier = await _store.CountSentEarlierAsync(job.Id, cancellationToken);
        var toSend = counts[BulkRowOutcome.Waiting];
        var time = TimeSpan.FromSeconds(toSend / (options.EstimatedMailsPerSecond * options.Connections));
        if ((await _store.ListRowsAsync(job.Id, [BulkRowOutcome.Waiting], 0, 1, cancellationToken)) is not [var first])
        {
            return new BulkCheckSummary(sentEarlier, null, null, null, 0, 0, TimeSpan.Zero);
        }

        var message = await _factory.CreateAsync(first.Name, first.Email, first.Locale, cancellationToken);
        using var bytes = new MemoryStream();
        await message.ToMimeMessage(_mailer.Options).WriteToAsync(bytes, cancellationToken);
        return new BulkCheckSummary(sentEarlier, message.Subject, message.Body, first.Email, bytes.Length, bytes.Length * toSend, time);
    }

    /// <summary>When the list's mails should be sent when the sending budgets set the pace: its rows still to go, and with
    /// the outbox everything waiting there (its mails wait behind what is ahead of them); null when no budget limits them.</summary>
    private async Task<BudgetFinish?> BudgetFinishAsync(BulkJob job, BulkJobCounts counts, SendBudgets budgets, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (budgets.Configured.Count == 0 || job.State == BulkJobState.Cancelled)
        {
            return null;
        }

        try
        {
            var outbox = HttpContext.RequestServices.GetService<IMailOutbox>() is { IsEnabled: true } on
                ? (await on.GetBacklogAsync(cancellationToken)).Depth
                : 0;
            return BudgetFinish.For(await budgets.ReadAsync(cancellationToken), counts.Open + outbox, now);
        }
        catch (Exception e) when (e is MailDeliveryException or System.Data.Common.DbException)
        {
            // The estimate is a nicety: the page works without it.
            return null;
        }
    }

    private bool UsesOutbox(BulkJobCounts counts) =>
        counts[BulkRowOutcome.Queued] > 0 || HttpContext.RequestServices.GetService<IMailOutbox>() is { IsEnabled: true };

    /// <summary>The rows per second over the last few seconds, and when the waiting rows should be done at that rate.</summary>
    private static (double? Rate, DateTimeOffset? Finish) Progress(BulkJob job, BulkJobCounts counts, DateTimeOffset now)
    {
        if (job.State != BulkJobState.Running || job.StartedAt is not { } started)
        {
            return (null, null);
        }

        var window = Math.Max(1, Math.Min(s_rateWindow.TotalSeconds, (now - started).TotalSeconds));
        var rate = counts.RecentlyDone / window;
        return rate > 0 ? (Math.Round(rate, 1), now.AddSeconds(counts.Open / rate)) : (0, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Welcome mail not sent ({Error}); server reply: {ServerReply}")]
    private static partial void LogSendFailed(ILogger logger, string error, string? serverReply, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk list {JobId} read and checked")]
    private static partial void LogImported(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk list {JobId} is now {State}")]
    private static partial void LogStateChanged(ILogger logger, string jobId, BulkJobState state);
}
