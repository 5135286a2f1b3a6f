namespace MailMvc.Web.Infrastructure;

/// <summary>
/// Adds the security headers to every response, error pages and static files included. Added as the response starts,
/// so a handler that cleared the headers (the exception handler does) does not lose them, and only when the endpoint
/// did not set its own (the sandboxed mail preview sets a stricter policy and lets the app frame it).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The app's pages load scripts, styles and frames only from the app itself, run no inline script, and
    /// cannot be framed by anyone.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to the responses of <paramref name="app"/>'s pipeline from here on.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                headers.TryAdd("Content-Security-Policy", ContentSecurityPolicy);
                headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
                headers.TryAdd("X-Frame-Options", "DENY");
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
