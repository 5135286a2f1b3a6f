using System.Globalization;

namespace MailMvc.Web.Welcome;

/// <summary>A job's page: the summary first, then one page of rows (problems first unless filtered).</summary>
public sealed record BulkJobViewModel(
    BulkJob Job,
    BulkJobCounts Counts,
    bool UsesOutbox,
    double? RatePerSecond,
    DateTimeOffset? ExpectedFinish,
    IReadOnlyList<BulkRowResult> Rows,
    BulkRowOutcome? Filter,
    int Page,
    int PageCount,
    BulkCheckSummary? Check)
{
    /// <summary>When the list's mails should be sent when the sending budgets set the pace, or null when they do not.</summary>
    public BudgetFinish? BudgetFinish { get; init; }

    /// <summary>Rows with a problem a person should look at.</summary>
    public static readonly IReadOnlyList<BulkRowOutcome> ProblemOutcomes = [BulkRowOutcome.Invalid, BulkRowOutcome.Refused, BulkRowOutcome.Failed];

    /// <summary>True once no row will change any more.</summary>
    public bool IsDone => IsDoneFor(Job, Counts);

    /// <summary>True once no row of <paramref name="job"/> will change any more.</summary>
    public static bool IsDoneFor(BulkJob job, BulkJobCounts counts)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(counts);
        return job.State == BulkJobState.Finished || (job.State == BulkJobState.Cancelled && counts[BulkRowOutcome.Sending] == 0);
    }

    /// <summary>What happened, in a sentence, and how it should look: <c>success</c>, <c>notice</c> or <c>form-error</c>.</summary>
    public (string Text, string Kind) Headline => HeadlineFor(Job, Counts, UsesOutbox);

    /// <summary>The sentence for <paramref name="job"/>.</summary>
    public static (string Text, string Kind) HeadlineFor(BulkJob job, BulkJobCounts counts, bool usesOutbox)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(counts);
        var sent = usesOutbox ? "queued" : "sent";
        var c = CultureInfo.InvariantCulture;
        return job.State switch
        {
            BulkJobState.Checked => ("Checked: nothing has been sent yet.", "notice"),
            BulkJobState.Running => (string.Format(c, "Sending: {0:N0} of {1:N0} rows have a result.", counts.Processed, counts.Total), "notice"),
            BulkJobState.Paused => (string.Format(c, "Paused: {0:N0} {1}, {2:N0} waiting. Resume carries on where it stopped.", counts.Delivered, sent, counts.Open), "notice"),
            BulkJobState.Cancelled => (string.Format(c, "Cancelled: {0:N0} {1} before the cancel, {2:N0} not sent{3}.", counts.Delivered, sent,
                counts[BulkRowOutcome.Cancelled], counts[BulkRowOutcome.Sending] > 0 ? $", {counts[BulkRowOutcome.Sending]} still in flight" : ""), "notice"),
            BulkJobState.Finished when counts.Delivered == 0 && counts[BulkRowOutcome.Skipped] > 0 && counts.Problems == 0 =>
                ("Nothing was sent: an earlier upload of this list already sent every row.", "notice"),
            BulkJobState.Finished when counts.Delivered == 0 && counts.Problems == 0 && counts[BulkRowOutcome.Suppressed] > 0 =>
                ("Nothing was sent: every address is on the suppression list (unsubscribed or unknown).", "notice"),
            BulkJobState.Finished when counts.Delivered == 0 => (string.Format(c,
                "Nothing was sent: {0:N0} invalid, {1:N0} refused by the server, {2:N0} failed. See the rows below.",
                counts[BulkRowOutcome.Invalid], counts[BulkRowOutcome.Refused], counts[BulkRowOutcome.Failed]), "form-error"),
            BulkJobState.Finished when counts.Problems > 0 => (string.Format(c,
                "Done, with problems: {0:N0} {1}, {2:N0} invalid, {3:N0} refused by the server, {4:N0} failed.",
                counts.Delivered, sent, counts[BulkRowOutcome.Invalid], counts[BulkRowOutcome.Refused], counts[BulkRowOutcome.Failed]), "notice"),
            BulkJobState.Finished when counts[BulkRowOutcome.Suppressed] > 0 => (string.Format(c,
                "Done: {0:N0} {1}; {2:N0} not sent, their addresses are on the suppression list (unsubscribed or unknown).",
                counts.Delivered, sent, counts[BulkRowOutcome.Suppressed]), "success"),
            BulkJobState.Finished when usesOutbox => (string.Format(c,
                "Done: every row is queued ({0:N0}); the outbox delivers them in the background.", counts.Delivered), "success"),
            BulkJobState.Finished => (string.Format(c, "Done: every row was sent ({0:N0}).", counts.Delivered), "success"),
            _ => ("Reading the list…", "notice"),
        };
    }

    /// <summary>A size in words.</summary>
    public static string Bytes(long bytes) => Size.Format(bytes);

    /// <summary>A duration in words, rounded up.</summary>
    public static string Duration(TimeSpan time) => time.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Ceiling(time.TotalSeconds)):0} s")
        : time.TotalMinutes < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(time.TotalMinutes):0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{time.TotalHours:0.#} h");
}
