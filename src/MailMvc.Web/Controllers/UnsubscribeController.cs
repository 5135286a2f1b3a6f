using MailMvc.Mail.Suppression;
using MailMvc.Web.Unsubscribe;
using Microsoft.AspNetCore.Mvc;

namespace MailMvc.Web.Controllers;

/// <summary>
/// The one-click unsubscribe endpoint of bulk mail (RFC 8058): a mail client's POST of <c>List-Unsubscribe=One-Click</c>
/// to the link suppresses the address and answers 200, with no login, no antiforgery token (the client has neither) and
/// no redirect. Opening the link (a GET, as mail scanners do) only shows a page with a button that sends the same POST.
/// A token that is not this app's, or was changed, gets 400 and changes nothing.
/// </summary>
[Route("unsubscribe")]
public sealed partial class UnsubscribeController : Controller
{
    /// <summary>The form field and value RFC 8058's POST carries.</summary>
    public const string OneClickField = "List-Unsubscribe";

    /// <summary>The value of <see cref="OneClickField"/>.</summary>
    public const string OneClickValue = "One-Click";

    private readonly UnsubscribeLinks _links;
    private readonly ISuppressionList _suppressions;
    private readonly TimeProvider _time;
    private readonly ILogger<UnsubscribeController> _logger;

    public UnsubscribeController(UnsubscribeLinks links, ISuppressionList suppressions, TimeProvider time, ILogger<UnsubscribeController> logger)
    {
        _links = links;
        _suppressions = suppressions;
        _time = time;
        _logger = logger;
    }

    [HttpGet("{token}")]
    public IActionResult Confirm(string token)
    {
        NoStore();
        return _links.TryRead(token, out var request)
            ? View("Index", new UnsubscribePageModel(UnsubscribePageState.Confirm, request, token))
            : Invalid();
    }

    [HttpPost("{token}")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> OneClick(string token, CancellationToken cancellationToken)
    {
        NoStore();
        if (!_links.TryRead(token, out var request))
        {
            LogRefused(_logger);
            return Invalid();
        }

        if (!Request.HasFormContentType || Request.Form[OneClickField] != OneClickValue)
        {
            return Invalid();
        }

        await _suppressions.AddAsync(new SuppressedAddress(request.Address, SuppressionReason.Unsubscribed, _time.GetUtcNow(), request.List),
            cancellationToken);
        LogUnsubscribed(_logger, request.List);
        return View("Index", new UnsubscribePageModel(UnsubscribePageState.Done, request, null));
    }

    private ViewResult Invalid()
    {
        var page = View("Index", new UnsubscribePageModel(UnsubscribePageState.Invalid, null, null));
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }

    // The address is personal: the page must not be kept by a shared cache.
    private void NoStore() => Response.Headers.CacheControl = "no-store";

    [LoggerMessage(Level = LogLevel.Information, Message = "Unsubscribed an address from the {List} list")]
    private static partial void LogUnsubscribed(ILogger logger, string list);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unsubscribe with a token that is not valid (forged, altered or cut short)")]
    private static partial void LogRefused(ILogger logger);
}
