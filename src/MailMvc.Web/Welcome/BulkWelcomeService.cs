using MailMvc.Mail;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Accepts an uploaded list: stores it on disk (never all in memory), checks its header, takes its rows from
/// the client's <see cref="RecipientBudget"/> and queues it for <see cref="BulkWelcomeWorker"/>.</summary>
public sealed class BulkWelcomeService
{
    private readonly BulkWelcomeJobs _jobs;
    private readonly RecipientBudget _budget;
    private readonly string _workDirectory;

    public BulkWelcomeService(BulkWelcomeJobs jobs, RecipientBudget budget, IOptions<BulkWelcomeOptions> options, IHostEnvironment environment)
    {
        _jobs = jobs;
        _budget = budget;
        _workDirectory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.WorkDirectory));
    }

    /// <summary>Queues the list.</summary>
    /// <param name="file">The uploaded list.</param>
    /// <param name="client">Whose sending budget the rows are taken from (<see cref="ClientAddress"/>).</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    /// <returns>The queued job; or the reason the file cannot be used, and whether that reason is the budget.</returns>
    public async Task<(BulkWelcomeJob? Job, string? Problem, bool OverBudget)> StartAsync(IFormFile file, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(_workDirectory);
        var id = Guid.NewGuid();
        var listPath = Path.Combine(_workDirectory, $"{id:N}.csv");
        await using (var target = File.Create(listPath))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        var (problem, overBudget) = await CheckAsync(listPath, client, cancellationToken);
        if (problem is not null)
        {
            File.Delete(listPath);
            return (null, problem, overBudget);
        }

        var job = new BulkWelcomeJob(id, Path.GetFileName(file.FileName), listPath, Path.Combine(_workDirectory, $"{id:N}.results.csv"));
        await _jobs.EnqueueAsync(job, cancellationToken);
        return (job, null, false);
    }

    /// <summary>The header, then the rows against the budget, before anything is sent. Counting stops one row past the
    /// largest budget, so a long list does not hold this request for long; the worker counts it fully for its progress.</summary>
    private async Task<(string? Problem, bool OverBudget)> CheckAsync(string listPath, string client, CancellationToken cancellationToken)
    {
        await using var list = File.OpenRead(listPath);
        if (await WelcomeCsv.CheckHeaderAsync(list, cancellationToken) is { } problem)
        {
            return (problem, false);
        }

        list.Position = 0;
        var rows = await WelcomeCsv.CountRowsAsync(list, _budget.Largest + 1, cancellationToken);
        var budget = _budget.TryTake(client, rows);
        return budget.Allowed ? (null, false) : ($"{budget.Describe(_budget.Now)} Nothing from this list was sent.", true);
    }
}
