namespace MailMvc.Web;

/// <summary>Names of the app's rate-limiting policies.</summary>
public static class RateLimits
{
    /// <summary>Endpoints that send mail: a fixed number of sends per client address per minute.</summary>
    public const string Sending = "sending";
}
