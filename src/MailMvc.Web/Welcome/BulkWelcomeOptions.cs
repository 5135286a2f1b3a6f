namespace MailMvc.Web.Welcome;

/// <summary>Limits and settings of the bulk welcome lists, section <c>BulkWelcome</c>.</summary>
public sealed class BulkWelcomeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "BulkWelcome";

    /// <summary>The largest CSV file accepted (100 MB by default).</summary>
    public long MaxUploadBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>How many SMTP connections all running lists share (1 by default: one reused connection).</summary>
    public int Connections { get; set; } = 1;

    /// <summary>How many rows each connection has handed to it ahead of their results (64 by default), so the next
    /// mails are rendered and built while earlier ones are sent, and a pipelining connection has a full run to send
    /// (with 16, a connection waited for results every few mails, and a 10,000-row list took about 20% longer; see
    /// docs/benchmark.md). Sending directly, <see cref="Connections"/> × this bounds the rows in flight, so the rows a
    /// crash can send twice; 1 sends each row only after the last one's result. Pause and Cancel stop a list after at
    /// most this many more rows a connection: at a few thousand mails a second, a few tens of milliseconds of sending.
    /// Into the outbox it is the most rows marked at once; the outbox's own batches bound what a crash queues
    /// twice.</summary>
    public int RowsInFlight { get; set; } = 64;

    /// <summary>The most data rows one list may have (100,000 by default); a longer list is refused.</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>The longest name cell, in UTF-8 bytes (1 KB by default); a longer one makes its row invalid.</summary>
    public int MaxNameBytes { get; set; } = 1024;

    /// <summary>The longest address cell, in UTF-8 bytes (320 by default, the longest address there is).</summary>
    public int MaxEmailBytes { get; set; } = 320;

    /// <summary>How long finished and cancelled lists, with every row's name, address and result, are kept (7 days by
    /// default); lists checked but never started are deleted after the same time.</summary>
    public TimeSpan KeepJobs { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows one list sends before the next running list gets its turn (10 by default).</summary>
    public int SliceRows { get; set; } = 10;

    /// <summary>The sending rate the check's time estimate assumes, in mails per second per connection (20 by default).</summary>
    public double EstimatedMailsPerSecond { get; set; } = 20;

    /// <summary>The SQLite file of the lists when the outbox does not use PostgreSQL; relative to the content root
    /// (<c>App_Data/bulk.db</c> by default).</summary>
    public string DatabasePath { get; set; } = Path.Combine("App_Data", "bulk.db");
}
