using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace MailMvc.Web.Welcome;

/// <summary>
/// Reads a welcome list as it streams in: a header row naming the <c>name</c> and <c>email</c> columns, and optionally
/// <c>locale</c>, the language of that person's mail (any case, any order, other columns ignored; comma, semicolon or
/// tab between them), then one person per line. Memory is bounded
/// whatever the file holds: only the name and address cells are kept, each up to its byte cap (a longer cell makes its
/// row invalid, the rest of the cell is skipped), and other cells are not kept at all. A quoted cell cannot span lines
/// (a name or an address is one line): a quote still open at the end of a line makes that line a bad row, and the next
/// line is read as a row of its own.
/// </summary>
public sealed class BulkCsvReader
{
    private const int HeaderCellChars = 64;

    /// <summary>Longer than any language code (<c>de-CH</c>); a longer cell is kept cut, and fails validation.</summary>
    private const int MaxLocaleBytes = 32;
    private const int BufferChars = 16 * 1024;

    private readonly TextReader _reader;
    private readonly int _maxNameBytes;
    private readonly int _maxEmailBytes;
    private readonly char[] _buffer = new char[BufferChars];
    private int _position;
    private int _length;
    private bool _ended;
    private bool _skipLineFeed;
    private int _line;
    private char _delimiter = ',';
    private int _nameColumn = -1;
    private int _emailColumn = -1;
    private int _localeColumn = -1;

    public BulkCsvReader(TextReader reader, int maxNameBytes, int maxEmailBytes)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        _maxNameBytes = maxNameBytes;
        _maxEmailBytes = maxEmailBytes;
    }

    /// <summary>Reads the header row.</summary>
    /// <returns>Null when it names both columns, else what is wrong, in a sentence.</returns>
    public async Task<string?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await FillAsync(cancellationToken);
        _delimiter = DetectDelimiter(_buffer.AsSpan(_position, _length - _position));
        var header = new List<string>();
        while (true)
        {
            var cells = new List<StringBuilder>();
            var (read, _) = await ReadLineAsync(column => column < 1000 ? Cell(cells, column) : null, cancellationToken);
            if (!read)
            {
                return "The file is empty; the first row must name the 'name' and 'email' columns.";
            }

            header = cells.Select(c => c.ToString().Trim().ToLowerInvariant()).ToList();
            if (header.Any(h => h.Length > 0))
            {
                break;
            }
        }

        _nameColumn = header.IndexOf("name");
        _emailColumn = header.IndexOf("email");
        _localeColumn = header.IndexOf("locale");
        var missing = new[] { "name", "email" }.Where(c => !header.Contains(c)).ToList();
        return missing.Count == 0
            ? null
            : $"The first row must name the columns 'name' and 'email' (any order); it has no {string.Join(" or ", missing.Select(m => $"'{m}'"))} column.";
    }

    /// <summary>The data rows after the header, blank lines left out.</summary>
    /// <exception cref="InvalidOperationException">The header was not read, or lacks a column.</exception>
    public async IAsyncEnumerable<BulkCsvRecord> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_nameColumn < 0 || _emailColumn < 0)
        {
            throw new InvalidOperationException("Read a header naming the 'name' and 'email' columns first (ReadHeaderAsync).");
        }

        var name = new CappedCell(_maxNameBytes);
        var email = new CappedCell(_maxEmailBytes);
        var locale = new CappedCell(MaxLocaleBytes);
        while (true)
        {
            name.Clear();
            email.Clear();
            locale.Clear();
            var line = _line + 1;
            var (read, unclosedQuote) = await ReadLineAsync(
                column => column == _nameColumn ? name : column == _emailColumn ? email : column == _localeColumn ? locale : null, cancellationToken);
            if (!read)
            {
                yield break;
            }

            if (name.IsEmpty && email.IsEmpty && !unclosedQuote)
            {
                continue;
            }

            var problem = unclosedQuote
                ? string.Create(CultureInfo.InvariantCulture, $"Line {line} has a quote that is not closed on that line; the row was not read.")
                : name.Overflowed
                    ? string.Create(CultureInfo.InvariantCulture, $"The name is longer than {_maxNameBytes:N0} bytes; the row was not read.")
                    : email.Overflowed
                        ? string.Create(CultureInfo.InvariantCulture, $"The address is longer than {_maxEmailBytes:N0} bytes; the row was not read.")
                        : null;
            yield return new BulkCsvRecord(line, name.ToString().Trim(), email.ToString().Trim(), problem,
                locale.IsEmpty ? null : locale.ToString().Trim() + (locale.Overflowed ? "…" : ""));
        }
    }

    private static CappedCell? Cell(List<StringBuilder> cells, int column)
    {
        while (cells.Count <= column)
        {
            cells.Add(new StringBuilder());
        }

        return new CappedCell(HeaderCellChars, cells[column]);
    }

    /// <summary>The delimiter the header uses: the most frequent of comma, semicolon and tab outside quotes in its first
    /// line; a comma when there is none.</summary>
    private static char DetectDelimiter(ReadOnlySpan<char> start)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in start)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }

        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    /// <summary>Reads one physical line, handing each cell's characters to the cell <paramref name="cellFor"/> gives for
    /// its column (none: the characters are dropped).</summary>
    /// <returns>Whether there was a line, and whether it ended inside a quoted cell.</returns>
    private async ValueTask<(bool Read, bool UnclosedQuote)> ReadLineAsync(Func<int, CappedCell?> cellFor, CancellationToken cancellationToken)
    {
        var column = 0;
        var cell = cellFor(0);
        var quoted = false;
        var quotePending = false; // a quote inside a quoted cell: the end of the cell, or the first of two
        var atCellStart = true;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                await FillAsync(cancellationToken);
                if (_position == _length)
                {
                    if (!any)
                    {
                        return (false, false);
                    }

                    _line++;
                    return (true, quoted && !quotePending);
                }
            }

            var c = _buffer[_position++];
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (c == '\n')
                {
                    continue;
                }
            }

            any = true;
            if (quotePending)
            {
                quotePending = false;
                if (c == '"')
                {
                    cell?.Append(c);
                    continue;
                }

                quoted = false;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    quotePending = true;
                }
                else if (c is '\n' or '\r')
                {
                    _skipLineFeed = c == '\r';
                    _line++;
                    return (true, true);
                }
                else
                {
                    cell?.Append(c);
                }

                continue;
            }

            if (c is '\n' or '\r')
            {
                _skipLineFeed = c == '\r';
                _line++;
                return (true, false);
            }

            if (c == _delimiter)
            {
                column++;
                cell = cellFor(column);
                atCellStart = true;
                continue;
            }

            if (c == '"' && atCellStart)
            {
                quoted = true;
                atCellStart = false;
                continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                atCellStart = false;
            }

            cell?.Append(c);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _position = 0;
        _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _ended = _length == 0;
    }

    /// <summary>A cell's text, kept up to a number of UTF-8 bytes; past it, only the fact that it overflowed.</summary>
    private sealed class CappedCell(int maxBytes, StringBuilder? text = null)
    {
        private readonly StringBuilder _text = text ?? new StringBuilder();
        private int _bytes;

        public bool Overflowed { get; private set; }

        public bool IsEmpty => _text.Length == 0 || _text.ToString().Trim().Length == 0;

        public void Append(char c)
        {
            if (Overflowed)
            {
                return;
            }

            // A surrogate pair is four bytes in UTF-8: two for each half.
            _bytes += c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
            if (_bytes > maxBytes)
            {
                Overflowed = true;
                return;
            }

            _text.Append(c);
        }

        public void Clear()
        {
            _text.Clear();
            _bytes = 0;
            Overflowed = false;
        }

        public override string ToString() => _text.ToString();
    }
}
