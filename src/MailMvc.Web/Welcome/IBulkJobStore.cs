namespace MailMvc.Web.Welcome;

/// <summary>Where bulk jobs, their rows and each row's result are kept (<see cref="SqliteBulkJobStore"/>,
/// <see cref="PostgresBulkJobStore"/>). Every method creates the schema on first use.</summary>
public interface IBulkJobStore
{
    /// <summary>Where the store lives, in words.</summary>
    string Description { get; }

    /// <summary>Creates or upgrades the tables.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new job (state <see cref="BulkJobState.Importing"/>).</summary>
    Task CreateJobAsync(BulkJob job, CancellationToken cancellationToken);

    /// <summary>Adds rows to a job being imported, in one transaction.</summary>
    Task AddRowsAsync(string jobId, IReadOnlyList<BulkRow> rows, CancellationToken cancellationToken);

    /// <summary>Ends an import: the row count, the list's hash, state <see cref="BulkJobState.Checked"/>; a waiting
    /// row whose address is on an earlier line becomes invalid.</summary>
    Task CompleteImportAsync(string jobId, int total, string contentHash, CancellationToken cancellationToken);

    /// <summary>The job, or null.</summary>
    Task<BulkJob?> GetJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Removes a job and its rows.</summary>
    Task DeleteJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Rows per outcome, and those that got a result since <paramref name="recentSince"/>.</summary>
    Task<BulkJobCounts> CountAsync(string jobId, DateTimeOffset recentSince, CancellationToken cancellationToken);

    /// <summary>The waiting rows of this job that an earlier upload of the same list (same hash) sent or queued to
    /// the same address.</summary>
    Task<int> CountSentEarlierAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Marks the rows <see cref="CountSentEarlierAsync"/> counts as skipped.</summary>
    Task<int> SkipSentEarlierAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Moves the job to <paramref name="to"/> when it is in one of <paramref name="from"/>; cancelling also
    /// marks its waiting rows cancelled.</summary>
    /// <returns>False when the job was in another state.</returns>
    Task<bool> ChangeStateAsync(string jobId, IReadOnlyCollection<BulkJobState> from, BulkJobState to, CancellationToken cancellationToken);

    /// <summary>Records what stopped the sending, unless something already did.</summary>
    Task SetErrorAsync(string jobId, string error, CancellationToken cancellationToken);

    /// <summary>Rows of the job with one of <paramref name="outcomes"/>, by line.</summary>
    Task<IReadOnlyList<BulkRowResult>> ListRowsAsync(string jobId, IReadOnlyCollection<BulkRowOutcome> outcomes, int offset, int limit,
        CancellationToken cancellationToken);

    /// <summary>Every row of the job, by line, read as the caller goes.</summary>
    IAsyncEnumerable<BulkRowResult> ReadRowsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Claims the running jobs this worker may send: its own (renewed), and those whose claim expired (whose
    /// rows left sending by a crashed worker become waiting again).</summary>
    /// <param name="worker">This worker's id, unique per process.</param>
    /// <param name="claimDuration">How long the claims last unless renewed.</param>
    /// <param name="idle">True when this worker has nothing in flight: its own rows left sending (by a run that
    /// failed) become waiting again too.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The ids of the running jobs this worker holds.</returns>
    Task<IReadOnlyList<string>> ClaimRunningJobsAsync(string worker, TimeSpan claimDuration, bool idle, CancellationToken cancellationToken);

    /// <summary>Gives up this worker's claims (at shutdown), so another worker can take them at once.</summary>
    Task ReleaseClaimsAsync(string worker, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> waiting rows after line <paramref name="afterLine"/>, by line.</summary>
    Task<IReadOnlyList<BulkRowResult>> ListWaitingRowsAsync(string jobId, int afterLine, int limit, CancellationToken cancellationToken);

    /// <summary>Records the results of <paramref name="completed"/> rows, then marks those of <paramref name="lines"/> still
    /// waiting as sending (just before they are handed to a connection), in one transaction.</summary>
    /// <returns>The lines marked, in order; a line missing is no longer waiting (the job was cancelled), and none is
    /// marked while the job is not running (paused or cancelled, perhaps by another instance).</returns>
    Task<IReadOnlyList<int>> MarkSendingAsync(string jobId, IReadOnlyList<int> lines, IReadOnlyList<BulkRowCompletion> completed,
        CancellationToken cancellationToken);

    /// <summary>Records rows' results, in one transaction.</summary>
    Task CompleteRowsAsync(IReadOnlyList<BulkRowCompletion> completed, CancellationToken cancellationToken);

    /// <summary>Marks a running job finished when none of its rows waits or is being sent.</summary>
    Task<bool> FinishIfDoneAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Deletes the jobs that finished or were cancelled before <paramref name="before"/> (and those checked
    /// but never started, or never imported, since then), with their rows.</summary>
    /// <returns>The number of jobs deleted.</returns>
    Task<int> DeleteOldJobsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
