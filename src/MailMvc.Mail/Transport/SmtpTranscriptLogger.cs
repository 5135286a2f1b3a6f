using System.Text;
using MailKit;
using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Writes the SMTP exchange to its own log category, one line per command or reply. AUTH secrets are
/// replaced by <c>********</c> using MailKit's secret detector (a custom protocol logger must apply it
/// itself), and the message content after DATA is summarised, never logged.
/// </summary>
internal sealed partial class SmtpTranscriptLogger : IProtocolLogger
{
    /// <summary>The log category of SMTP transcripts.</summary>
    public const string Category = "MailMvc.Mail.SmtpTranscript";

    private const string Redacted = "********";
    private static readonly byte[] s_endOfData = "\r\n.\r\n"u8.ToArray();

    private readonly ILogger _logger;
    private readonly StringBuilder _transcript = new();
    private readonly StringBuilder _clientLine = new();
    private readonly StringBuilder _serverLine = new();
    private bool _inData;
    private bool _answeringChallenge;
    private long _bdatRemaining;
    private long _dataBytes;
    private int _endMatched;

    public SmtpTranscriptLogger(ILogger logger) => _logger = logger;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>Returns the lines logged since the last call and starts a new slice.</summary>
    public string TakeTranscript()
    {
        var text = _transcript.ToString();
        _transcript.Clear();
        return text;
    }

    public void LogConnect(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Write($"Connected to {uri.Host}:{uri.Port}");
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (_bdatRemaining > 0)
        {
            ConsumeChunk(buffer, offset, count);
            return;
        }

        if (_inData)
        {
            ConsumeData(buffer, offset, count);
            return;
        }

        var secrets = AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count) ?? [];
        var index = offset;
        foreach (var secret in secrets)
        {
            Append(_clientLine, "C: ", buffer, index, secret.StartIndex - index);
            _clientLine.Append(Redacted);
            index = secret.StartIndex + secret.Length;
        }

        Append(_clientLine, "C: ", buffer, index, offset + count - index);
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Append(_serverLine, "S: ", buffer, offset, count);
    }

    public void Dispose()
    {
        // Nothing to release: lines are written as they complete.
    }

    /// <summary>CHUNKING: after <c>BDAT n</c> the next n bytes are message content.</summary>
    private void ConsumeChunk(byte[] buffer, int offset, int count)
    {
        var taken = (int)Math.Min(count, _bdatRemaining);
        _bdatRemaining -= taken;
        _dataBytes += taken;
        if (_bdatRemaining == 0)
        {
            Write($"C: <message content, {_dataBytes} bytes>");
            if (taken < count)
            {
                LogClient(buffer, offset + taken, count - taken);
            }
        }
    }

    private void ConsumeData(byte[] buffer, int offset, int count)
    {
        for (var i = offset; i < offset + count; i++)
        {
            _dataBytes++;
            _endMatched = buffer[i] == s_endOfData[_endMatched] ? _endMatched + 1 : (buffer[i] == s_endOfData[0] ? 1 : 0);
            if (_endMatched == s_endOfData.Length)
            {
                Write($"C: <message content, {_dataBytes} bytes>");
                Write("C: .");
                _inData = false;
                var rest = i + 1;
                if (rest < offset + count)
                {
                    LogClient(buffer, rest, offset + count - rest);
                }

                return;
            }
        }
    }

    private void Append(StringBuilder line, string prefix, byte[] buffer, int offset, int count)
    {
        var end = offset + count;
        var start = offset;
        for (var i = offset; i < end; i++)
        {
            if (buffer[i] != (byte)'\n')
            {
                continue;
            }

            line.Append(Encoding.UTF8.GetString(buffer, start, i - start));
            var text = line.ToString().TrimEnd('\r');
            line.Clear();
            start = i + 1;
            if (prefix == "C: ")
            {
                text = RedactAuthentication(text);
            }

            Write(prefix + text);
            OnLine(prefix, text);
            if (_bdatRemaining > 0)
            {
                // The chunk follows its BDAT command in the same write: it is content, not lines.
                if (start < end)
                {
                    ConsumeChunk(buffer, start, end - start);
                }

                return;
            }
        }

        if (start < end)
        {
            line.Append(Encoding.UTF8.GetString(buffer, start, end - start));
        }
    }

    /// <summary>A second guard behind MailKit's secret detector, for any mechanism (XOAUTH2 and OAUTHBEARER carry the
    /// access token): the initial response of an AUTH command, and every answer to a 334 challenge, are secrets.</summary>
    private string RedactAuthentication(string line)
    {
        if (_answeringChallenge)
        {
            _answeringChallenge = false;
            return line.Length == 0 ? line : Redacted;
        }

        if (line.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) && line.Split(' ', 3) is [var command, var mechanism, var initial]
            && initial != Redacted)
        {
            return $"{command} {mechanism} {Redacted}";
        }

        return line;
    }

    private void OnLine(string prefix, string line)
    {
        if (prefix == "S: ")
        {
            _answeringChallenge = line.StartsWith("334", StringComparison.Ordinal);
        }

        if (prefix == "C: " && line.StartsWith("BDAT ", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(line[5..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var size) && size > 0)
        {
            _bdatRemaining = size;
            _dataBytes = 0;
            return;
        }

        // After the server's 354 the client sends the message itself, which is not logged.
        if (prefix == "S: " && line.StartsWith("354", StringComparison.Ordinal))
        {
            _inData = true;
            _dataBytes = 0;
            _endMatched = 2; // the data starts right after a CRLF
        }
    }

    private void Write(string line)
    {
        _transcript.Append(line).Append('\n');
        LogLine(_logger, line);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{SmtpLine}")]
    private static partial void LogLine(ILogger logger, string smtpLine);
}
