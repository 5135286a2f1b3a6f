namespace MailMvc.Web;

/// <summary>Names of the app's rate-limiting policies.</summary>
public static class RateLimits
{
    /// <summary>Endpoints that send mail: a fixed number of sends per client address per minute.</summary>
    public const string Sending = "sending";

    /// <summary>The <c>HttpContext.Items</c> key under which a refused request keeps how long to wait (a
    /// <see cref="TimeSpan"/>), for the 429 page.</summary>
    public const string RetryAfterItem = "MailMvc.RetryAfter";
}
