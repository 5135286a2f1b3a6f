using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace MailMvc.Web.Controllers;

/// <summary>The home page, and the error page shown instead of a stack trace.</summary>
public sealed class HomeController : Controller
{
    [HttpGet("/")]
    public IActionResult Index() => View();

    /// <summary>The error page. Its status comes from the route only (never a form field or the query string; the
    /// action takes no parameters, so nothing is bound), and only when it is a known 4xx or 5xx error code: a
    /// re-executed 413 stays 413, while <c>/error/200</c> is a page that does not exist.</summary>
    [Route("/error/{status:int?}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        var fromRoute = RouteData.Values["status"] is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : (int?)null;
        Response.StatusCode = fromRoute is { } status && IsErrorCode(status)
            ? status
            : HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null ? StatusCodes.Status500InternalServerError : StatusCodes.Status404NotFound;
        if (Response.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            DescribeRefusal();
        }

        return View(Response.StatusCode);
    }

    /// <summary>For the 429 page: when the person can try again, and the page whose form they sent, to go back to.</summary>
    private void DescribeRefusal()
    {
        if (HttpContext.Items[RateLimits.RetryAfterItem] is TimeSpan wait)
        {
            var time = HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            ViewData["RetryAt"] = time.GetUtcNow() + wait;
            ViewData["RetryAfter"] = wait;
        }

        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } original && Url.IsLocalUrl(original.OriginalPath))
        {
            ViewData["BackTo"] = original.OriginalPath;
        }
    }

    private static bool IsErrorCode(int status) => status is >= 400 and <= 599 && ReasonPhrases.GetReasonPhrase(status).Length > 0;
}
