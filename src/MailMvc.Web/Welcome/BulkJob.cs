namespace MailMvc.Web.Welcome;

/// <summary>One uploaded list, as stored.</summary>
/// <param name="Id">The job's id: 128 random bits, URL-safe (<see cref="BulkJobId"/>).</param>
/// <param name="Owner">Who may see it: <c>user:</c> and a user name, or <c>session:</c> and a hash of the browser's
/// cookie id (<see cref="BulkJobOwner"/>).</param>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="ContentHash">A hash of the list's rows: an upload of the same list has the same hash.</param>
/// <param name="State">Where the job is.</param>
/// <param name="Total">The number of data rows.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
/// <param name="StartedAt">When sending started (the first time), or null.</param>
/// <param name="FinishedAt">When it finished or was cancelled, or null.</param>
/// <param name="Error">What stopped the sending, when something did (the server could not be reached).</param>
public sealed record BulkJob(
    string Id,
    string Owner,
    string FileName,
    string ContentHash,
    BulkJobState State,
    int Total,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    /// <summary>When the list's mails go (queued in the outbox until then), or null for at once.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>The uploader's time zone (IANA), to say <see cref="SendAt"/> in their time; null means UTC.</summary>
    public string? SendAtZone { get; init; }
}
