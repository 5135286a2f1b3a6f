using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Welcome;

/// <summary>The bulk store on a real SQLite file, a new one per test.</summary>
public sealed class SqliteBulkJobStoreTests : BulkJobStoreTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-bulk-store-").FullName;

    protected override Task<IBulkJobStore> CreateStoreAsync() =>
        Task.FromResult<IBulkJobStore>(new SqliteBulkJobStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"), Time));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
