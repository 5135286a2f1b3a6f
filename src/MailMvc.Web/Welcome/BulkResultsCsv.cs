using System.Globalization;
using System.Text;

namespace MailMvc.Web.Welcome;

/// <summary>Writes a job's results as CSV (<c>Row,Name,Email,Outcome,Detail,Locale</c>) as they are read from the store, so
/// a list of any length is never held in memory. A cell that would start a spreadsheet formula is escaped with a quote.</summary>
public static class BulkResultsCsv
{
    public static async Task WriteAsync(IAsyncEnumerable<BulkRowResult> rows, Stream target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = new StreamWriter(target, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteAsync("Row,Name,Email,Outcome,Detail,Locale\r\n".AsMemory(), cancellationToken);
        var line = new StringBuilder();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.Clear()
                .Append(row.Row.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(row.Name)).Append(',')
                .Append(Cell(row.Email)).Append(',')
                .Append(row.Outcome.ToString()).Append(',')
                .Append(Cell(row.Detail)).Append(',')
                .Append(Cell(row.Locale ?? "")).Append("\r\n");
            await writer.WriteAsync(line, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    private static string Cell(string value)
    {
        // Names and addresses come from the uploaded file: a cell starting with = or + must not become a formula.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
