namespace MailMvc.Web.Welcome;

/// <summary>One welcome mail: a name and an address.</summary>
public sealed class WelcomeForm
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    /// <summary>The language of the mail (<c>de</c>, <c>fr</c>, <c>de-CH</c>); empty for the template's own. A language
    /// without a variant of the template falls back as <see cref="Templates.IEmailRenderer"/> does.</summary>
    public string? Locale { get; set; }

    /// <summary>Send later: the wall-clock time typed in "Send at", read in <see cref="TimeZone"/>; null sends now.</summary>
    public DateTime? SendAt { get; set; }

    /// <summary>The browser's IANA time zone (set by the page's script), in which <see cref="SendAt"/> is read; empty means UTC.</summary>
    public string? TimeZone { get; set; }
}
