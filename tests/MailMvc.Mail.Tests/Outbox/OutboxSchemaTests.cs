using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox's versioned schema: a new database gets every migration, one made by the release before versioning
/// (<c>Outbox/Legacy</c>, with mails queued in it) is upgraded in place and its mails delivered, and a database newer
/// than the code stops it with a sentence. Runs once per database: <see cref="SqliteOutboxSchemaTests"/> and
/// <see cref="PostgresOutboxSchemaTests"/>.
/// </summary>
public abstract class OutboxSchemaTests
{
    // What the release before versioning queued (Outbox/Legacy/README.md).
    private static readonly string[] s_legacyQueuedSubjects = ["Legacy plain", "Legacy html with attachment", "Legacy DSN ünïcode"];

    private readonly OutboxDatabase _database;

    protected OutboxSchemaTests(OutboxDatabase database) => _database = database;

    [Fact]
    public async Task EnsureSchema_NewDatabase_RecordsEveryMigrationInOrder()
    {
        var outbox = await _database.CreateOutboxAsync();
        var (_, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await services.Store.EnsureSchemaAsync(CancellationToken.None);
        }

        var versions = await _database.QueryAsync(outbox, "SELECT version, description FROM mailmvc_outbox_schema ORDER BY version");
        Assert.Equal([1, 2, 3, 4, 5, 6], versions.Select(v => Convert.ToInt32(v[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("attempts name the worker that made them", versions[1][1]);
        Assert.Equal("the suppression list", versions[2][1]);
        Assert.Equal("scheduled sending, trace context, and the server of each attempt", versions[3][1]);
        Assert.Equal("sending budgets shared by every instance", versions[4][1]);
        Assert.Equal("whether a stored mail goes out as its bytes, and the MIME stored uncompressed", versions[5][1]);
    }

    [Fact]
    public async Task Start_OutboxMadeBeforeVersioning_UpgradedInPlaceAndItsQueuedMailsDelivered()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateLegacyOutboxAsync();

        await using (var host = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port))
        {
            var counts = await host.WaitUntilSettledAsync(4);
            Assert.Equal((4L, 0L), (counts.Sent, counts.Failed));
        }

        Assert.Equal(s_legacyQueuedSubjects.Order(), server.Messages.Select(m => m.Parse().Subject).Order());
        var withBcc = Assert.Single(server.Messages, m => m.Parse().Subject == "Legacy html with attachment");
        Assert.Equal(["html@example.com", "cc@example.com", "bcc@example.com"], withBcc.RcptTos);
        Assert.Equal("notes.txt", Assert.Single(withBcc.Parse().Attachments).ContentDisposition?.FileName);
        // Nothing of the old rows is lost: the mail sent before the upgrade keeps its attempt, the new attempts name their worker.
        var attempts = await _database.QueryAsync(outbox,
            "SELECT m.subject, a.outcome, a.reply, a.worker FROM mailmvc_outbox_attempt a JOIN mailmvc_outbox m ON m.id = a.outbox_id ORDER BY a.id");
        Assert.Equal(["Legacy sent", "sent", "250 2.0.0 Ok: queued as LEGACY", null], attempts[0]);
        Assert.Equal(3, attempts.Skip(1).Count(a => a[1] is "sent" && a[3] is string { Length: > 0 }));
        var versions = await _database.QueryAsync(outbox, "SELECT MAX(version) FROM mailmvc_outbox_schema");
        Assert.Equal(6, Convert.ToInt32(versions[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task EnsureSchema_DatabaseNewerThanTheCode_ThrowsSayingWhatToDo()
    {
        var outbox = await _database.CreateOutboxAsync();
        var (_, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await services.Store.EnsureSchemaAsync(CancellationToken.None);
        }

        await _database.ExecuteAsync(outbox, "INSERT INTO mailmvc_outbox_schema (version, description, applied_at) VALUES (99, 'from the future', 0)");
        var (_, newer) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (newer)
        {
            var error = await Assert.ThrowsAsync<OutboxSchemaException>(() => newer.Store.EnsureSchemaAsync(CancellationToken.None));

            Assert.Contains("schema version 99, newer than this app knows (6)", error.Message, StringComparison.Ordinal);
        }
    }
}

public sealed class SqliteOutboxSchemaTests(SqliteOutboxDatabase database) : OutboxSchemaTests(database), IClassFixture<SqliteOutboxDatabase>;

public sealed class PostgresOutboxSchemaTests(PostgresOutboxDatabase database) : OutboxSchemaTests(database), IClassFixture<PostgresOutboxDatabase>;
