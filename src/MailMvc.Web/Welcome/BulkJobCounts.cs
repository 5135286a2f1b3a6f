namespace MailMvc.Web.Welcome;

/// <summary>How many rows of a job have each outcome, and how many got their result lately (for the rate).</summary>
public sealed record BulkJobCounts(IReadOnlyDictionary<BulkRowOutcome, int> ByOutcome, int RecentlyDone)
{
    /// <summary>The rows with <paramref name="outcome"/>.</summary>
    public int this[BulkRowOutcome outcome] => ByOutcome.GetValueOrDefault(outcome);

    /// <summary>Every row.</summary>
    public int Total => ByOutcome.Values.Sum();

    /// <summary>Rows still to send: waiting, or sending.</summary>
    public int Open => this[BulkRowOutcome.Waiting] + this[BulkRowOutcome.Sending];

    /// <summary>Rows taken by the server or the outbox.</summary>
    public int Delivered => this[BulkRowOutcome.Sent] + this[BulkRowOutcome.Queued];

    /// <summary>Rows with a problem a person should look at: invalid, refused, failed.</summary>
    public int Problems => this[BulkRowOutcome.Invalid] + this[BulkRowOutcome.Refused] + this[BulkRowOutcome.Failed];

    /// <summary>Rows with a result.</summary>
    public int Processed => Total - Open;
}
