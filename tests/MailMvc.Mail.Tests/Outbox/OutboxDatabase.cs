using MailMvc.Mail.Outbox;
namespace MailMvc.Mail.Tests.Outbox;

/// <summary>A database server the outbox tests run against, set up once per test class (xunit class fixture);
/// each test takes an empty outbox of its own from it.</summary>
public abstract class OutboxDatabase : IAsyncLifetime
{
    /// <summary>The provider the hosts are configured with.</summary>
    public abstract OutboxProvider Provider { get; }

    /// <summary>Makes an empty outbox for one test.</summary>
    /// <returns>The connection string for <see cref="OutboxOptions.ConnectionString"/>.</returns>
    public abstract Task<string> CreateOutboxAsync();

    /// <summary>A new outbox holding what the release before schema versioning left behind (<c>Outbox/Legacy</c>).</summary>
    /// <returns>Its connection string.</returns>
    public abstract Task<string> CreateLegacyOutboxAsync();

    /// <summary>Opens a connection to an outbox made by <see cref="CreateOutboxAsync"/>, for a test's own SQL.</summary>
    public abstract Task<System.Data.Common.DbConnection> OpenAsync(string connectionString);

    /// <summary>Runs a query and returns its rows.</summary>
    public async Task<IReadOnlyList<object?[]>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs statements.</summary>
    public async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The path of a file in <c>Outbox/Legacy</c>, as the build copied it beside the tests.</summary>
    protected static string LegacyFile(string name) => Path.Combine(AppContext.BaseDirectory, "Outbox", "Legacy", name);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}
