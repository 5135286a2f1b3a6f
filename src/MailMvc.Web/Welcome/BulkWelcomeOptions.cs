namespace MailMvc.Web.Welcome;

/// <summary>Limits of the bulk welcome upload, section <c>BulkWelcome</c>.</summary>
public sealed class BulkWelcomeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "BulkWelcome";

    /// <summary>The largest CSV file accepted (100 MB by default).</summary>
    public long MaxUploadBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>How many SMTP connections one list is sent over (1 by default: one reused connection).</summary>
    public int Connections { get; set; } = 1;

    /// <summary>Where uploaded lists and their results are kept while a job runs; relative to the content root.</summary>
    public string WorkDirectory { get; set; } = Path.Combine("App_Data", "bulk");
}
