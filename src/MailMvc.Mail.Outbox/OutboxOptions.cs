namespace MailMvc.Mail.Outbox;

/// <summary>
/// The durable outbox, section <c>Mail:Outbox</c>, added with <see cref="OutboxMailBuilderExtensions.AddOutbox"/>. When
/// <see cref="Enabled"/>, <see cref="IMailer"/> stores each message (its MIME bytes and envelope) and returns; a
/// background worker delivers it through the transport the outbox wraps, retrying what can succeed later.
/// </summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section, under the mail section.</summary>
    public const string SectionName = "Outbox";

    /// <summary>Queue mail in the outbox instead of delivering it during the call. Off unless configured
    /// (<c>Mail:Outbox:Enabled</c>) or a store is chosen in code (<see cref="OutboxBuilder.UseSqlite"/>,
    /// <see cref="OutboxBuilder.UsePostgres"/>, <see cref="OutboxBuilder.UseStore{TStore}"/>).</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the outbox lives: <see cref="OutboxProvider.Sqlite"/> (a file, the default) or
    /// <see cref="OutboxProvider.PostgreSql"/> (shared by any number of app instances).</summary>
    public OutboxProvider Provider { get; set; } = OutboxProvider.Sqlite;

    /// <summary>The database. For SQLite, unset means <c>Data Source=App_Data/outbox.db</c> under the content root;
    /// for PostgreSQL, an Npgsql connection string (keep its password out of committed files).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Sessions of the delivery transport (for SMTP, connections) each app instance delivers over (2 by default).</summary>
    public int Connections { get; set; } = 2;

    /// <summary>Mails one connection claims at a time (20 by default). Mail this instance hands its workers straight away is
    /// taken up to 32 at a time, as it was stored, so its deliveries are recorded in one transaction.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Attempts before a mail that keeps failing temporarily is marked failed (10 by default).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Age after which a mail that keeps failing temporarily is marked failed (one day by default).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait before the first retry; each further retry waits twice as long, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a claim on a batch lasts, five minutes by default (at least four times
    /// <see cref="MailOptions.Timeout"/>; extended before a send that it might not cover): if the instance that
    /// claimed it dies, another one (or the same one restarted) delivers the mails once the claim has expired.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle worker looks for mail queued by other instances (a local send wakes it at once), and how
    /// long it keeps its connection open after its last mail (at most <see cref="MailOptions.PoolIdleTimeout"/>).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Hand mail queued in this instance straight to its own delivery workers while they have room (true by
    /// default): it is stored already claimed for one of them and sent without a claim or reading it back. False leaves
    /// every mail to the workers' claims, so all instances sharing the outbox deliver it evenly, whichever queued it.</summary>
    public bool HandOver { get; set; } = true;

    /// <summary>How long sent mails stay listed before they are deleted (a week by default).</summary>
    public TimeSpan KeepSent { get; set; } = TimeSpan.FromDays(7);
}
