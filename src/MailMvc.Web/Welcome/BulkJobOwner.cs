using System.Security.Cryptography;
using System.Text;

namespace MailMvc.Web.Welcome;

/// <summary>Who a job belongs to: the signed-in user, else the browser (a random id in a cookie of its own). The
/// store keeps a hash of the cookie id, never the id itself.</summary>
public static class BulkJobOwner
{
    /// <summary>The cookie that carries the browser's id.</summary>
    public const string CookieName = "MailMvc.BulkSession";

    /// <summary>The owner of a list uploaded by this request; gives the browser an id when it has none.</summary>
    public static string ForUpload(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Of(context) is { } owner)
        {
            return owner;
        }

        var id = BulkJobId.New();
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
        });
        return Session(id);
    }

    /// <summary>True when this request's user or browser uploaded the job, or the user is in <paramref name="adminRole"/>.</summary>
    public static bool CanSee(HttpContext context, BulkJob job, string? adminRole)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(job);
        if (!string.IsNullOrWhiteSpace(adminRole) && context.User.IsInRole(adminRole))
        {
            return true;
        }

        return job.Owner == User(context)
            || (context.Request.Cookies.TryGetValue(CookieName, out var id) && BulkJobId.IsWellFormed(id) && job.Owner == Session(id!));
    }

    private static string? Of(HttpContext context) =>
        User(context) ?? (context.Request.Cookies.TryGetValue(CookieName, out var id) && BulkJobId.IsWellFormed(id) ? Session(id!) : null);

    private static string? User(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "user:" + name : null;

    private static string Session(string id) => "session:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id)));
}
