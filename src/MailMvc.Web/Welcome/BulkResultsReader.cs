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
            // The results file escapes cells that would start a spreadsheet formula; the page shows them as typed.
            var shown = row with { Name = Unescape(row.Name), Email = Unescape(row.Email) };
            if (all.Count < limit)
            {
                all.Add(shown);
            }

            if (row.Outcome is not (BulkRowOutcome.Sent or BulkRowOutcome.Queued) && problems.Count < limit)
            {
                problems.Add(shown);
            }
        }

        // Rows are written as the server answers, which with several connections is not file order.
        return (all.Count < limit ? all : problems).OrderBy(r => r.Row).ToList();
    }

    private static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' ? cell[1..] : cell;
}
