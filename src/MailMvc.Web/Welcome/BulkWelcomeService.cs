using MailMvc.Mail;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Accepts an uploaded list: stores it on disk (never all in memory), checks its header and queues it
/// for <see cref="BulkWelcomeWorker"/>.</summary>
public sealed class BulkWelcomeService
{
    private readonly BulkWelcomeJobs _jobs;
    private readonly string _workDirectory;

    public BulkWelcomeService(BulkWelcomeJobs jobs, IOptions<BulkWelcomeOptions> options, IHostEnvironment environment)
    {
        _jobs = jobs;
        _workDirectory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.WorkDirectory));
    }

    /// <summary>Queues the list.</summary>
    /// <returns>The queued job, or the reason the file cannot be used.</returns>
    public async Task<(BulkWelcomeJob? Job, string? Problem)> StartAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        Directory.CreateDirectory(_workDirectory);
        var id = Guid.NewGuid();
        var listPath = Path.Combine(_workDirectory, $"{id:N}.csv");
        await using (var target = File.Create(listPath))
        {
            await file.CopyToAsync(target, cancellationToken);
        }

        await using var list = File.OpenRead(listPath);
        if (await WelcomeCsv.CheckHeaderAsync(list, cancellationToken) is { } problem)
        {
            await list.DisposeAsync();
            File.Delete(listPath);
            return (null, problem);
        }

        // The rows are counted by the worker, so a long list does not hold this request.
        var job = new BulkWelcomeJob(id, Path.GetFileName(file.FileName), listPath, Path.Combine(_workDirectory, $"{id:N}.results.csv"));
        await _jobs.EnqueueAsync(job, cancellationToken);
        return (job, null);
    }
}
