using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MailMvc.Web.Welcome;

/// <summary>The bulk jobs of this process: a queue for the worker and a lookup for the progress page.</summary>
public sealed class BulkWelcomeJobs
{
    private readonly ConcurrentDictionary<Guid, BulkWelcomeJob> _jobs = new();
    private readonly Channel<BulkWelcomeJob> _queue = Channel.CreateUnbounded<BulkWelcomeJob>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<BulkWelcomeJob> Queue => _queue.Reader;

    public async ValueTask EnqueueAsync(BulkWelcomeJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs[job.Id] = job;
        await _queue.Writer.WriteAsync(job, cancellationToken);
    }

    public BulkWelcomeJob? Find(Guid id) => _jobs.GetValueOrDefault(id);
}
