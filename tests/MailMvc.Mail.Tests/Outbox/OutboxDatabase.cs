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

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}
