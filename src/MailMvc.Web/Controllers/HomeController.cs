using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MailMvc.Web.Controllers;

/// <summary>The home page, and the error page shown instead of a stack trace.</summary>
public sealed class HomeController : Controller
{
    [HttpGet("/")]
    public IActionResult Index() => View();

    [Route("/error/{status:int?}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Error(int? status)
    {
        var feature = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        Response.StatusCode = status ?? (feature is null ? 200 : 500);
        return View(Response.StatusCode);
    }
}
