using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using MailMvc.Web.Outbox;
using Microsoft.AspNetCore.Mvc;

namespace MailMvc.Web.Controllers;

/// <summary>The outbox page: what is queued, being sent, sent and failed, each mail's attempts, and a retry for
/// failed mails. Development, or users in <see cref="OutboxPageOptions.AdminRole"/>.</summary>
[Route("outbox")]
[OutboxAccess]
public sealed partial class OutboxController : Controller
{
    private const int Shown = 100;

    private readonly IMailer _mailer;
    private readonly IMailOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxController> _logger;
    private readonly SendBudgets _budgets;

    public OutboxController(IMailer mailer, IMailOutbox outbox, TimeProvider time, ILogger<OutboxController> logger, SendBudgets budgets)
    {
        _budgets = budgets;
        _mailer = mailer;
        _outbox = outbox;
        _time = time;
        _logger = logger;
    }

    [HttpGet("")]
    public async Task<IActionResult> Index(string? status, CancellationToken cancellationToken)
    {
        if (!_outbox.IsEnabled)
        {
            return Off();
        }

        var filter = ParseStatus(status);
        var counts = await _outbox.GetCountsAsync(cancellationToken);
        var mails = await _outbox.ListAsync(filter, Shown, cancellationToken);
        var scheduled = await _outbox.ListScheduledAsync(Shown, cancellationToken);
        var (budgets, budgetError) = await ReadBudgetsAsync(cancellationToken);
        return View(new OutboxIndexViewModel(counts, mails, filter, Shown, _time.GetUtcNow(), Transport)
        {
            Scheduled = scheduled,
            Budgets = budgets,
            BudgetError = budgetError,
        });
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken cancellationToken)
    {
        if (!_outbox.IsEnabled)
        {
            return Off();
        }

        if (await _outbox.GetAsync(id, cancellationToken) is not { } mail)
        {
            return NotFound();
        }

        var attempts = await _outbox.GetAttemptsAsync(id, cancellationToken);
        return View(new OutboxDetailsViewModel(id, mail, attempts, _time.GetUtcNow()));
    }

    /// <summary>The sending budgets and how much of each is used, or why they cannot be read.</summary>
    private async Task<(IReadOnlyList<SendBudgetReport> Budgets, string? Error)> ReadBudgetsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _budgets.ReadAsync(cancellationToken), null);
        }
        catch (MailDeliveryException e)
        {
            return ([], e.Message);
        }
    }

    /// <summary>Queues a failed mail again, then goes back to the page the button was on.</summary>
    [HttpPost("{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!_outbox.IsEnabled)
        {
            return Off();
        }

        if (await _outbox.RetryAsync(id, cancellationToken))
        {
            LogRetried(_logger, id);
            TempData["OutboxNotice"] = $"Mail {id} is queued again and will be attempted now.";
        }
        else
        {
            TempData["OutboxNotice"] = $"Mail {id} is not failed (any more), so there was nothing to retry.";
        }

        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>Cancels a queued mail (a scheduled one, typically) so it is never sent, then goes back to the page the
    /// button was on.</summary>
    [HttpPost("{id:long}/cancel")]
    public async Task<IActionResult> Cancel(long id, string? returnUrl, CancellationToken cancellationToken)
    {
        if (!_outbox.IsEnabled)
        {
            return Off();
        }

        if (await _outbox.CancelAsync(id, cancellationToken))
        {
            LogCancelled(_logger, id);
            TempData["OutboxNotice"] = $"Mail {id} is cancelled: it will not be sent.";
        }
        else
        {
            TempData["OutboxNotice"] = $"Mail {id} is no longer waiting (it is being sent, was sent, failed or was cancelled), so it could not be cancelled.";
        }

        return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToAction(nameof(Details), new { id });
    }

    private string Transport => _mailer.TransportDescription;

    private ViewResult Off() => View("Off", new OutboxOffViewModel(_mailer.Options.SuppressSend == true, Transport));

    /// <summary>A state's name in any case; anything else (numbers included) means every state.</summary>
    private static OutboxStatus? ParseStatus(string? status) =>
        Enum.GetValues<OutboxStatus>().Cast<OutboxStatus?>()
            .FirstOrDefault(s => string.Equals(s.ToString(), status, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox mail {Id} queued again from the outbox page")]
    private static partial void LogRetried(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox mail {Id} cancelled from the outbox page")]
    private static partial void LogCancelled(ILogger logger, long id);
}
