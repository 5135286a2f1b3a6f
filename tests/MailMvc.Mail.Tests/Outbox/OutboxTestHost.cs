using System.Diagnostics;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The real thing in a test: a generic host with <c>services.AddMail(...)</c> and the outbox on, started, so its
/// <see cref="OutboxDeliveryService"/> delivers to the SMTP test server on <c>smtpPort</c>. Retries and polls are
/// fast (100-500 ms back-off, 50 ms poll). Dispose it to stop the host, as an app shutting down would.
/// </summary>
internal sealed class OutboxTestHost : IAsyncDisposable
{
    /// <summary>How long a test waits for the outbox to settle before it fails.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    private OutboxTestHost(IHost host)
    {
        _host = host;
        Mailer = host.Services.GetRequiredService<IMailer>();
        Outbox = host.Services.GetRequiredService<IMailOutbox>();
        Logs = host.Services.GetRequiredService<FakeLogCollector>();
    }

    public IMailer Mailer { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _host.Services;

    public IMailOutbox Outbox { get; }

    /// <summary>Everything the host logged, Debug and up.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>How many mails this host's workers delivered (their "Outbox delivered" log lines).</summary>
    public int DeliveredCount => Logs.GetSnapshot().Count(r => r.Message.StartsWith("Outbox delivered ", StringComparison.Ordinal));

    /// <summary>Starts a host that queues mail in the outbox at <paramref name="connectionString"/> and delivers it.</summary>
    public static async Task<OutboxTestHost> StartAsync(OutboxProvider provider, string connectionString, int smtpPort,
        Action<OutboxOptions>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddMail(new ConfigurationBuilder().Build(), o => Configure(o, provider, connectionString, smtpPort, configure));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new OutboxTestHost(host);
    }

    /// <summary>The options <see cref="StartAsync"/> gives <c>AddMail</c>, for tests that build a mailer by hand.</summary>
    public static MailOptions CreateOptions(OutboxProvider provider, string connectionString, int smtpPort, Action<OutboxOptions>? configure = null)
    {
        var options = new MailOptions();
        Configure(options, provider, connectionString, smtpPort, configure);
        return options;
    }

    /// <summary>A mailer that queues into the outbox with no delivery worker anywhere: what a crashed or not yet
    /// started instance leaves in the database. Dispose the runtime when done.</summary>
    public static (Mailer Mailer, OutboxRuntime Runtime) CreateEnqueueOnly(OutboxProvider provider, string connectionString, int smtpPort)
    {
        var options = CreateOptions(provider, connectionString, smtpPort);
        var runtime = new OutboxRuntime(Options.Create(options), TimeProvider.System);
        return (new Mailer(options, null, runtime), runtime);
    }

    /// <summary>Polls the outbox until nothing is queued or being sent and at least <paramref name="settled"/> mails are
    /// sent or failed, then returns the counts.</summary>
    /// <exception cref="TimeoutException">It did not settle within <paramref name="timeout"/> (<see cref="DefaultWait"/>);
    /// the message holds the counts and the host's warnings.</exception>
    public async Task<OutboxCounts> WaitUntilSettledAsync(int settled, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var counts = await Outbox.GetCountsAsync();
            if (counts.Depth == 0 && counts.Sent + counts.Failed >= settled)
            {
                return counts;
            }

            if (clock.Elapsed > limit)
            {
                var warnings = Logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).TakeLast(10)
                    .Select(r => $"  {r.Level}: {r.Message} {r.Exception?.Message}");
                throw new TimeoutException(
                    $"The outbox did not settle with {settled} mail(s) sent or failed within {limit.TotalSeconds:0} s: {counts}. " +
                    $"Last warnings:\n{string.Join('\n', warnings)}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The outbox's mails, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAllAsync() =>
        (await Outbox.ListAsync(null, 10_000)).OrderBy(e => e.Id).ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static void Configure(MailOptions options, OutboxProvider provider, string connectionString, int smtpPort, Action<OutboxOptions>? configure)
    {
        options.Server = "127.0.0.1";
        options.Port = smtpPort;
        options.DefaultSender = "MailMvc Tests <sender@example.com>";
        options.DeliveryMethod = MailDeliveryMethod.Smtp;
        options.SuppressSend = false;
        options.Debug = false;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Outbox.Enabled = true;
        options.Outbox.Provider = provider;
        options.Outbox.ConnectionString = connectionString;
        options.Outbox.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
        options.Outbox.RetryMaxDelay = TimeSpan.FromMilliseconds(500);
        options.Outbox.PollInterval = TimeSpan.FromMilliseconds(50);
        configure?.Invoke(options.Outbox);
    }
}
