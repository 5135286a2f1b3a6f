using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Reads an uploaded list once, as it streams in, into the store: every row with its line number, checked
/// (address syntax, caps, duplicates within the list), a few hundred rows in memory at a time. Nothing of the file is
/// kept anywhere else.</summary>
public sealed class BulkListImporter
{
    private const int RowsPerWrite = 500;

    private readonly IBulkJobStore _store;
    private readonly IValidator<WelcomeForm> _validator;
    private readonly BulkWelcomeOptions _options;
    private readonly TimeProvider _time;

    public BulkListImporter(IBulkJobStore store, IValidator<WelcomeForm> validator, IOptions<BulkWelcomeOptions> options, TimeProvider time)
    {
        _store = store;
        _validator = validator;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Stores the list as a new job that waits to be started.</summary>
    /// <param name="list">The upload, read once from start to end.</param>
    /// <param name="fileName">The name the browser gave it.</param>
    /// <param name="owner">Who may see the job (<see cref="BulkJobOwner"/>).</param>
    /// <param name="cancellationToken">Cancels the import; the partly stored job is removed.</param>
    /// <param name="sendAt">When the list's mails go (the outbox keeps them until then), or null for at once.</param>
    /// <param name="sendAtZone">The uploader's time zone, to show <paramref name="sendAt"/> in.</param>
    public async Task<BulkImportResult> ImportAsync(Stream list, string fileName, string owner, CancellationToken cancellationToken,
        DateTimeOffset? sendAt = null, string? sendAtZone = null)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        using var text = new StreamReader(list, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var reader = new BulkCsvReader(text, _options.MaxNameBytes, _options.MaxEmailBytes);
        if (await reader.ReadHeaderAsync(cancellationToken) is { } problem)
        {
            return new BulkImportResult(null, problem);
        }

        var id = BulkJobId.New();
        var name = Path.GetFileName(fileName);
        await _store.CreateJobAsync(new BulkJob(id, owner, name.Length > 200 ? name[..200] : name, "", BulkJobState.Importing, 0,
            _time.GetUtcNow(), null, null, null)
        { SendAt = sendAt, SendAtZone = sendAtZone }, cancellationToken);
        try
        {
            var (rows, hash) = await ReadRowsAsync(reader, id, cancellationToken);
            if (rows > _options.MaxRows)
            {
                await _store.DeleteJobAsync(id, CancellationToken.None);
                return new BulkImportResult(null, string.Create(CultureInfo.InvariantCulture,
                    $"The list has more than {_options.MaxRows:N0} rows, the most one list may have; split it into smaller lists."));
            }

            if (rows == 0)
            {
                await _store.DeleteJobAsync(id, CancellationToken.None);
                return new BulkImportResult(null, "The list has a header row but no one to welcome.");
            }

            await _store.CompleteImportAsync(id, rows, hash, cancellationToken);
            return new BulkImportResult(id, null);
        }
        catch
        {
            await _store.DeleteJobAsync(id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Stores the rows, stopping one row past the cap.</summary>
    /// <returns>The rows read, and the hash of their names and addresses.</returns>
    private async Task<(int Rows, string Hash)> ReadRowsAsync(BulkCsvReader reader, string id, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var batch = new List<BulkRow>(RowsPerWrite);
        var rows = 0;
        await foreach (var record in reader.ReadRowsAsync(cancellationToken))
        {
            if (++rows > _options.MaxRows)
            {
                return (rows, "");
            }

            hash.AppendData(Encoding.UTF8.GetBytes($"{record.Name}\u001f{record.Email}\u001e"));
            batch.Add(Check(record));
            if (batch.Count == RowsPerWrite)
            {
                await _store.AddRowsAsync(id, batch, cancellationToken);
                batch.Clear();
            }
        }

        await _store.AddRowsAsync(id, batch, cancellationToken);
        return (rows, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private BulkRow Check(BulkCsvRecord record)
    {
        if (record.Problem is { } problem)
        {
            return new BulkRow(record.Line, record.Name, record.Email, BulkRowOutcome.Invalid, problem, record.Locale);
        }

        var validation = _validator.Validate(new WelcomeForm { Name = record.Name, Email = record.Email, Locale = record.Locale });
        return validation.IsValid
            ? new BulkRow(record.Line, record.Name, record.Email, BulkRowOutcome.Waiting, null, record.Locale)
            : new BulkRow(record.Line, record.Name, record.Email, BulkRowOutcome.Invalid, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)), record.Locale);
    }
}
