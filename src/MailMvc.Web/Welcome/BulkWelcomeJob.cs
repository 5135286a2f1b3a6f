namespace MailMvc.Web.Welcome;

/// <summary>One uploaded list being sent: its progress counters, and where its rows and results are kept.</summary>
public sealed class BulkWelcomeJob
{
    private int _total;
    private int _processed;
    private int _sent;
    private int _queued;
    private int _invalid;
    private int _refused;
    private int _failed;

    public BulkWelcomeJob(Guid id, string fileName, string listPath, string resultsPath)
    {
        Id = id;
        FileName = fileName;
        ListPath = listPath;
        ResultsPath = resultsPath;
    }

    public Guid Id { get; }

    public string FileName { get; }

    public string ListPath { get; }

    public string ResultsPath { get; }

    /// <summary>The number of data rows in the list; 0 until the worker has counted them.</summary>
    public int Total => Volatile.Read(ref _total);

    public int Processed => Volatile.Read(ref _processed);

    /// <summary>True once a row's mail went into the outbox (its receipt said queued): the job ends once every row is
    /// queued, and the outbox delivers them afterwards.</summary>
    public bool UsesOutbox => Queued > 0;

    public int Sent => Volatile.Read(ref _sent);

    public int Queued => Volatile.Read(ref _queued);

    public int Invalid => Volatile.Read(ref _invalid);

    public int Refused => Volatile.Read(ref _refused);

    public int Failed => Volatile.Read(ref _failed);

    public bool IsDone { get; private set; }

    /// <summary>Set when the whole job stopped early, for example when the server could not be reached.</summary>
    public string? Error { get; private set; }

    public void SetTotal(int total) => Volatile.Write(ref _total, total);

    public void Count(BulkRowOutcome outcome)
    {
        switch (outcome)
        {
            case BulkRowOutcome.Sent:
                Interlocked.Increment(ref _sent);
                break;
            case BulkRowOutcome.Queued:
                Interlocked.Increment(ref _queued);
                break;
            case BulkRowOutcome.Invalid:
                Interlocked.Increment(ref _invalid);
                break;
            case BulkRowOutcome.Refused:
                Interlocked.Increment(ref _refused);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }

        Interlocked.Increment(ref _processed);
    }

    public void Complete(string? error = null)
    {
        Error = error;
        IsDone = true;
    }
}
