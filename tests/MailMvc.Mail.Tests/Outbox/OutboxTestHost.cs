using System.Diagnostics;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

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

    /// <summary>Starts a host that queues mail in the outbox at <paramref name="connectionString"/> and delivers it,
    /// over SMTP to <paramref name="smtpPort"/>, or through <paramref name="transport"/> when given.</summary>
    /// <remarks>With <c>wrapStore</c>, the outbox's store is the one it returns for the built-in store it is given (the
    /// sending budgets shared through the outbox's database then stay in the process: they need the built-in store).
    /// With <c>suppressionList</c>, the built-in suppression list (<c>AddSuppressionList()</c>) is added, in the
    /// outbox's database. With <c>start: false</c> the host is built but not started: its mailer queues, and no worker
    /// delivers until <see cref="StartAsync()"/>. <c>services</c> adds to or replaces the mailer's services (a
    /// <see cref="TimeProvider"/> of the test's, say).</remarks>
    public static async Task<OutboxTestHost> StartAsync(OutboxProvider provider, string connectionString, int smtpPort,
        Action<OutboxOptions>? configure = null, Func<IServiceProvider, IMailTransport>? transport = null, bool suppressionList = false,
        bool start = true, Action<MailOptions>? mail = null, Func<IServiceProvider, IOutboxStore, IOutboxStore>? wrapStore = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        AddMail(builder.Services, provider, connectionString, smtpPort, configure, transport, suppressionList, mail, wrapStore);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            if (start)
            {
                await host.StartAsync();
            }
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new OutboxTestHost(host);
    }

    /// <summary>A mailer that queues into the outbox with no delivery worker anywhere: what a crashed or not yet
    /// started instance leaves in the database. Dispose the services when done.</summary>
    public static (IMailer Mailer, OutboxServices Services) CreateEnqueueOnly(OutboxProvider provider, string connectionString, int smtpPort)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        AddMail(services, provider, connectionString, smtpPort, configure: null, transport: null);
        var provided = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return (provided.GetRequiredService<IMailer>(), new OutboxServices(provided));
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

    /// <summary>Starts a host built with <c>start: false</c>: its delivery workers begin.</summary>
    public Task StartAsync() => _host.StartAsync();

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

    private static void AddMail(IServiceCollection services, OutboxProvider provider, string connectionString, int smtpPort,
        Action<OutboxOptions>? configure, Func<IServiceProvider, IMailTransport>? transport, bool suppressionList = false,
        Action<MailOptions>? mailOptions = null, Func<IServiceProvider, IOutboxStore, IOutboxStore>? wrapStore = null)
    {
        var mail = services.AddMail(new ConfigurationBuilder().Build(), options =>
        {
            options.Server = "127.0.0.1";
            options.Port = smtpPort;
            options.DefaultSender = "MailMvc Tests <sender@example.com>";
            options.DeliveryMethod = MailDeliveryMethod.Smtp;
            options.SuppressSend = false;
            options.Debug = false;
            options.Timeout = TimeSpan.FromSeconds(2);
            mailOptions?.Invoke(options);
        });
        if (transport is not null)
        {
            mail.UseTransport(transport);
        }

        if (suppressionList)
        {
            mail.AddSuppressionList();
        }

        mail.AddOutbox(outbox =>
        {
            if (provider == OutboxProvider.PostgreSql)
            {
                outbox.UsePostgres(connectionString);
            }
            else
            {
                outbox.UseSqlite(connectionString);
            }

            if (wrapStore is not null)
            {
                outbox.UseStore(services => wrapStore(services, provider == OutboxProvider.PostgreSql
                    ? OutboxStores.Postgres(connectionString)
                    : OutboxStores.Sqlite(connectionString)));
            }

            outbox.Configure(options =>
            {
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                options.RetryMaxDelay = TimeSpan.FromMilliseconds(500);
                options.PollInterval = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(options);
            });
        });
    }
}

/// <summary>The services of an instance that only queues (see <see cref="OutboxTestHost.CreateEnqueueOnly"/>).</summary>
internal sealed class OutboxServices(ServiceProvider services) : IAsyncDisposable
{
    /// <summary>The outbox's store, to look at or claim from as another instance would.</summary>
    public IOutboxStore Store => services.GetRequiredService<IOutboxStore>();

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
