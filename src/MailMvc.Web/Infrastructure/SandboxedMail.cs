using Microsoft.AspNetCore.Mvc;

namespace MailMvc.Web.Infrastructure;

/// <summary>
/// A mail's HTML as a response for a preview frame: it runs no script (the sandbox allows none, nor does default-src),
/// loads images from anywhere and styles only inline, and may be framed by the app's own pages only, unlike every other
/// response (<see cref="SecurityHeaders"/>).
/// </summary>
public static class SandboxedMail
{
    /// <summary>The policy of a framed mail.</summary>
    public const string ContentSecurityPolicy =
        "sandbox allow-same-origin; default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

    /// <summary>Sets the headers on <paramref name="response"/> and returns <paramref name="html"/> as its content.</summary>
    public static ContentResult Content(HttpResponse response, string html)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "SAMEORIGIN";
        return new ContentResult { Content = html, ContentType = "text/html; charset=utf-8" };
    }
}
