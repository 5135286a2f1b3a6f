using System.Globalization;
using CsvHelper;

namespace MailMvc.Web.Welcome;

/// <summary>Reads back a finished job's per-row results.</summary>
public static class BulkResultsReader
{
    /// <summary>Up to <paramref name="limit"/> results, problem rows first when there are more than that.</summary>
    public static async Task<IReadOnlyList<BulkRowResult>> ReadAsync(string path, int limit, CancellationToken cancellationToken)
    {
        var all = new List<BulkRowResult>();
        var problems = new List<BulkRowResult>();
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        await foreach (var row in csv.GetRecordsAsync<BulkRowResult>(cancellationToken))
        {
            if (all.Count < limit)
            {
                all.Add(row);
            }

            if (row.Outcome is not (BulkRowOutcome.Sent or BulkRowOutcome.Queued) && problems.Count < limit)
            {
                problems.Add(row);
            }
        }

        // Rows are written as the server answers, which with several connections is not file order.
        return (all.Count < limit ? all : problems).OrderBy(r => r.Row).ToList();
    }
}
