using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>How PostgreSQL keeps the stored mails: since schema version 6 without compressing them (pglz compressing every
/// mail led the database server's profile of queued sending), and a version 5 outbox with mail in it upgrades in place.</summary>
public sealed class PostgresOutboxStorageTests(PostgresOutboxDatabase database) : IClassFixture<PostgresOutboxDatabase>
{
    [Fact]
    public async Task Start_VersionFiveOutboxWithQueuedMail_UpgradedToSixStoresNewMailUncompressedAndDeliversBoth()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await database.CreateOutboxAsync();
        var (_, services) = OutboxTestHost.CreateEnqueueOnly(OutboxProvider.PostgreSql, outbox, server.Port);
        await using (services)
        {
            await services.Store.EnsureSchemaAsync(CancellationToken.None);
        }

        // Back to version 5, as the release before this step left it, with a mail it queued.
        using var written = new MemoryStream();
        LongMail("Stored by version 5").ToMimeMessage(new MailOptions { DefaultSender = "sender@example.com" }).WriteTo(WireFormat.Options, written);
        var mime = System.Text.Encoding.ASCII.GetString(written.ToArray()).Replace("'", "''", StringComparison.Ordinal);
        await database.ExecuteAsync(outbox,
            $"""
            ALTER TABLE mailmvc_outbox_mime DROP COLUMN send_as_stored;
            ALTER TABLE mailmvc_outbox_mime ALTER COLUMN mime SET STORAGE EXTENDED;
            ALTER TABLE mailmvc_outbox_mime RESET (toast_tuple_target);
            DELETE FROM mailmvc_outbox_schema WHERE version = 6;
            WITH row AS (
                INSERT INTO mailmvc_outbox (message_id, subject, sender, recipients, status, attempts, created_at, next_attempt_at)
                VALUES ('v5@example.com', 'Stored by version 5', 'sender@example.com', 'reader@example.com', 'queued', 0,
                    (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint)
                RETURNING id)
            INSERT INTO mailmvc_outbox_mime (outbox_id, mime) SELECT id, convert_to('{mime}', 'UTF8') FROM row;
            """);

        await using var host = await OutboxTestHost.StartAsync(OutboxProvider.PostgreSql, outbox, server.Port, start: false);
        await host.Mailer.SendAsync(LongMail("Stored by version 6"));
        var stored = await database.QueryAsync(outbox,
            "SELECT o.subject, pg_column_compression(m.mime), m.send_as_stored FROM mailmvc_outbox o JOIN mailmvc_outbox_mime m ON m.outbox_id = o.id ORDER BY o.id");
        await host.StartAsync();
        var counts = await host.WaitUntilSettledAsync(2);

        Assert.Equal(["Stored by version 5", "pglz", false], stored[0]);
        Assert.Equal(["Stored by version 6", null, true], stored[1]);
        Assert.Equal((2L, 0L), (counts.Sent, counts.Failed));
        Assert.Equal(["Stored by version 5", "Stored by version 6"], server.Messages.Select(m => m.Parse().Subject).Order());
        var version = await database.QueryAsync(outbox, "SELECT MAX(version) FROM mailmvc_outbox_schema");
        Assert.Equal(6, Convert.ToInt32(version[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>About 6 KB of ASCII that compresses well, as a rendered HTML mail does.</summary>
    private static Message LongMail(string subject) =>
        new(subject, ["reader@example.com"], body: string.Join('\n', Enumerable.Repeat("Welcome to MailMvc: compose a mail and see every delivery.", 100)));
}
