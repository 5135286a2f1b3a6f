using MailMvc.Mail.Tests.Outbox;
using Xunit.Abstractions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>
/// Several app processes on one PostgreSQL outbox, as a cluster runs: each instance in a folder of its own under one
/// temporary folder, named by its <c>Mail:LocalDomain</c>; all stopped, the databases dropped and the folder deleted
/// together.
/// </summary>
internal sealed class PostgresInstances(string folderPrefix, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory(folderPrefix).FullName;
    private readonly List<AppProcess> _apps = [];

    /// <summary>The PostgreSQL server the instances share; each test makes its outbox with <c>CreateOutboxAsync</c>.</summary>
    public PostgresOutboxDatabase Database { get; } = new();

    /// <summary>Starts an instance (<c>Mail:LocalDomain</c> = <paramref name="name"/>) on the PostgreSQL outbox
    /// <paramref name="outbox"/>, sending to the SMTP server on <paramref name="smtpPort"/>, with more settings.</summary>
    public async Task<AppProcess> StartAsync(string name, string outbox, int smtpPort, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Mail__LocalDomain"] = name,
            ["Mail__Outbox__Provider"] = "PostgreSql",
            ["Mail__Outbox__ConnectionString"] = outbox,
        };
        var app = await AppProcess.StartAsync(OutboxProcessSteps.Environment(smtpPort, directory, environment), directory);
        _apps.Add(app);
        output.WriteLine($"{name} listens on {app.BaseAddress}");
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Database.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
