using FluentValidation;
using MailMvc.Mail.Suppression;
using MailMvc.Web.Outbox;
using MailMvc.Web.Suppressions;
using Microsoft.AspNetCore.Mvc;

namespace MailMvc.Web.Controllers;

/// <summary>The suppression list's page: the addresses no mail goes to, why and since when; search, add and remove.
/// The outbox page's rule: Development, or users in <see cref="OutboxPageOptions.AdminRole"/> (404 for anyone else).</summary>
[Route("suppressions")]
[OutboxAccess]
public sealed partial class SuppressionsController : Controller
{
    private const int Shown = 200;

    private readonly ISuppressionList _list;
    private readonly TimeProvider _time;
    private readonly ILogger<SuppressionsController> _logger;

    public SuppressionsController(ISuppressionList list, TimeProvider time, ILogger<SuppressionsController> logger)
    {
        _list = list;
        _time = time;
        _logger = logger;
    }

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, CancellationToken cancellationToken) =>
        View(await PageAsync(q, new SuppressionForm(), cancellationToken));

    [HttpPost("add")]
    public async Task<IActionResult> Add([Bind(Prefix = nameof(SuppressionsPageModel.Form))] SuppressionForm form,
        [FromServices] IValidator<SuppressionForm> validator, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(form, cancellationToken);
        if (!validation.IsValid)
        {
            validation.AddToModelState(ModelState, nameof(SuppressionsPageModel.Form) + ".");
            return View(nameof(Index), await PageAsync(null, form, cancellationToken));
        }

        var by = User.Identity?.Name is { Length: > 0 } name ? $"by {name}" : null;
        var note = string.Join(": ", new[] { by, form.Note?.Trim() }.Where(p => !string.IsNullOrEmpty(p)));
        var entry = new SuppressedAddress(form.Address!, SuppressionReason.Manual, _time.GetUtcNow(), note);
        var added = await _list.AddAsync(entry, cancellationToken);
        LogChanged(_logger, added ? "added to" : "already on", User.Identity?.Name);
        TempData["SuppressionsNotice"] = added
            ? $"{entry.Address} is suppressed: no mail goes to it."
            : $"{entry.Address} was already on the list; its entry is unchanged.";
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("remove")]
    public async Task<IActionResult> Remove(string? address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return RedirectToAction(nameof(Index));
        }

        var removed = await _list.RemoveAsync(address, cancellationToken);
        LogChanged(_logger, removed ? "removed from" : "not on", User.Identity?.Name);
        TempData["SuppressionsNotice"] = removed
            ? $"{SuppressedAddress.Normalize(address)} is off the list: mail goes to it again."
            : $"{SuppressedAddress.Normalize(address)} was not on the list.";
        return RedirectToAction(nameof(Index));
    }

    private async Task<SuppressionsPageModel> PageAsync(string? search, SuppressionForm form, CancellationToken cancellationToken)
    {
        var q = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        return new SuppressionsPageModel(await _list.ListAsync(q, Shown, cancellationToken), q, Shown, form);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An address was {Change} the suppression list on its page (user {User})")]
    private static partial void LogChanged(ILogger logger, string change, string? user);
}
