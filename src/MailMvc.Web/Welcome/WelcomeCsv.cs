using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;

namespace MailMvc.Web.Welcome;

/// <summary>Reads a welcome list row by row: a header row naming the <c>name</c> and <c>email</c> columns
/// (any case, any order, other columns ignored), then one person per row. Never holds the whole file.</summary>
public static class WelcomeCsv
{
    private static readonly CsvConfiguration s_configuration = new(CultureInfo.InvariantCulture)
    {
        PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        DetectDelimiter = true,
        MissingFieldFound = null,
        BadDataFound = null,
        TrimOptions = TrimOptions.Trim,
    };

    /// <summary>Checks the header row.</summary>
    /// <returns>Null when the header names both columns, else what is wrong, in a sentence.</returns>
    public static async Task<string?> CheckHeaderAsync(Stream csv, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(csv, leaveOpen: true);
        using var parser = new CsvReader(reader, s_configuration);
        if (!await parser.ReadAsync())
        {
            return "The file is empty; the first row must name the 'name' and 'email' columns.";
        }

        parser.ReadHeader();
        var header = parser.HeaderRecord?.Select(h => h.Trim().ToLowerInvariant()).ToHashSet() ?? [];
        var missing = new[] { "name", "email" }.Where(c => !header.Contains(c)).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        return missing.Count == 0
            ? null
            : $"The first row must name the columns 'name' and 'email' (any order); it has no {string.Join(" or ", missing.Select(m => $"'{m}'"))} column.";
    }

    /// <summary>Counts the data rows.</summary>
    public static async Task<int> CountRowsAsync(Stream csv, CancellationToken cancellationToken) =>
        await CountRowsAsync(csv, int.MaxValue, cancellationToken);

    /// <summary>Counts the data rows of <paramref name="csv"/>, stopping at <paramref name="stopAt"/>.</summary>
    public static async Task<int> CountRowsAsync(Stream csv, int stopAt, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in ReadAsync(csv, cancellationToken))
        {
            if (++count >= stopAt)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>The data rows, with their line numbers.</summary>
    public static async IAsyncEnumerable<(int Line, string Name, string Email)> ReadAsync(Stream csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(csv, leaveOpen: true);
        using var parser = new CsvReader(reader, s_configuration);
        if (!await parser.ReadAsync())
        {
            yield break;
        }

        parser.ReadHeader();
        var nameIndex = parser.GetFieldIndex("name", isTryGet: true);
        var emailIndex = parser.GetFieldIndex("email", isTryGet: true);
        if (nameIndex < 0 || emailIndex < 0)
        {
            yield break;
        }

        while (await parser.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = parser.GetField(nameIndex) ?? "";
            var email = parser.GetField(emailIndex) ?? "";
            if (name.Length == 0 && email.Length == 0 && parser.Parser.Count <= 1)
            {
                continue; // a blank line
            }

            yield return (parser.Parser.RawRow, name, email);
        }
    }
}
