namespace MailMvc.Web.Welcome;

/// <summary>A CSV list of people to welcome.</summary>
public sealed class BulkWelcomeForm
{
    public IFormFile? List { get; set; }

    /// <summary>Send later: the wall-clock time typed in "Send at", read in <see cref="TimeZone"/>; null sends at once.</summary>
    public DateTime? SendAt { get; set; }

    /// <summary>The browser's IANA time zone (set by the page's script), in which <see cref="SendAt"/> is read; empty means UTC.</summary>
    public string? TimeZone { get; set; }
}
