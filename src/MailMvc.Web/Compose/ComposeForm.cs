namespace MailMvc.Web.Compose;

/// <summary>What a person types on the compose page.</summary>
public sealed class ComposeForm
{
    public string? To { get; set; }

    public string? Cc { get; set; }

    public string? Bcc { get; set; }

    public string? Subject { get; set; }

    public string? Message { get; set; }

    /// <summary>The message is Markdown: its HTML part is rendered from it; the text part is the Markdown as typed.</summary>
    public bool Markdown { get; set; }

    public List<IFormFile> Attachments { get; set; } = [];

    /// <summary>Send later: the wall-clock time typed in "Send at", read in <see cref="TimeZone"/>; null sends now.</summary>
    public DateTime? SendAt { get; set; }

    /// <summary>The browser's IANA time zone (set by the page's script), in which <see cref="SendAt"/> is read; empty means UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The addresses in To, Cc and Bcc together (never bound from the form: it has no setter).</summary>
    public int RecipientCount => AddressList.Split(To).Count + AddressList.Split(Cc).Count + AddressList.Split(Bcc).Count;
}
