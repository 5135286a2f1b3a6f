using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Sends messages over SMTP with PIPELINING (RFC 2920) used as far as it goes: each message's MAIL FROM, RCPT TO and
/// DATA leave in one write, and after the first message they ride in the same write as the previous message's content
/// and final dot. A run of messages costs one round trip a message (plus one to start), where MailKit's <c>Send</c> makes
/// three (it waits for the envelope's replies before DATA, and for DATA's before the content).
/// </summary>
/// <remarks>
/// <para>Used for every send on a send thread (bulk runs, outbox workers; a rate-limited connection one mail at a
/// time) over a plain-text connection to a server that offers PIPELINING. MailKit has connected, greeted and logged in,
/// and the exchange writes to and reads from the same socket after MailKit's last reply. It sends what MailKit's
/// <c>Send</c> sends, byte for byte: each message prepared with the same encoding constraint, the same MAIL FROM and
/// RCPT TO parameters (SMTPUTF8, SIZE, BODY, ENVID, RET, NOTIFY and ORCPT), the content dot-stuffed as MailKit's own
/// filter does it. (MailKit also drops a recipient listed twice; an <see cref="Envelope"/> lists each once.)</para>
/// <para>Failures are MailKit's exceptions with MailKit's meaning, so the session translates them as before. Where the
/// exchange differs from MailKit's:</para>
/// <list type="bullet">
/// <item>When the server refuses a recipient but accepts another, it answers the pipelined DATA with 354 and waits for
/// content. The message is refused as MailKit refuses it (sent to no one), and the connection is dropped without the
/// content, which leaves the transaction unfinished: nothing is delivered.</item>
/// <item>A message the server refuses after its content needs no RSET (the reply ended the transaction; RFC 5321
/// 4.1.1.4), and the next message's envelope may already be on its way.</item>
/// <item>The transcript shows each message's lines together, as if sent one after another: the next message's
/// envelope is logged after the previous message's final reply, though it left with that message's content.</item>
/// </list>
/// </remarks>
internal sealed class PipelinedSmtpExchange
{
    private const int MaxLineLength = 998;
    private const int BufferSize = 64 * 1024;

    /// <summary>Above this, the content buffer is let go after the message instead of kept for the next.</summary>
    private const int KeptContentLimit = 256 * 1024;

    private static readonly byte[] s_endOfData = ".\r\n"u8.ToArray();
    private static readonly byte[] s_reset = "RSET\r\n"u8.ToArray();

    private readonly MailMvcSmtpClient _client;
    private readonly Stream _network;
    private readonly IProtocolLogger? _logger;
    private readonly byte[] _input = new byte[4096];
    private readonly byte[] _output = new byte[BufferSize];
    private readonly StringBuilder _command = new(256);
    private readonly StringBuilder _reply = new(128);
    private byte[] _envelope = new byte[1024];
    private int _envelopeLength;
    private MemoryStream _content = new();
    private FormatOptions? _format;
    private FormatOptions? _signedFormat;
    private int _inputStart;
    private int _inputEnd;
    private int _outputLength;
    private string? _lastReply;
    private Outcome? _outcome;
    private bool _stopped;
    private int _reported;
    private Exception? _failure;
    private readonly List<(int Index, Exception Failure)> _deferred = [];

    public PipelinedSmtpExchange(MailMvcSmtpClient client, Stream network, IProtocolLogger? logger)
    {
        _client = client;
        _network = network;
        _logger = logger;
    }

    /// <summary>What became of one message: the server's reply to its content (its text, as MailKit returns it), or
    /// why it was not taken, and whether that was the message itself (it could not be prepared: nothing of it was
    /// written, and the connection is fine) rather than the server or the connection.</summary>
    public delegate void Outcome(int index, string? reply, Exception? error, bool unprepared);

    /// <summary>Whether <paramref name="client"/>'s connection can take this exchange: plain text (the exchange writes to
    /// the socket, under any TLS MailKit would add) and a server that offers PIPELINING.</summary>
    public static bool Suits(SmtpClient client) =>
        !client.IsSecure && client.Capabilities.HasFlag(SmtpCapabilities.Pipelining);

    /// <summary>Set when the connection can no longer be used: dropped mid-DATA, lost, RSET refused, stopped with the next
    /// message's envelope sent, or <see cref="Send"/> ended by an exception.</summary>
    public bool Broken { get; private set; }

    /// <summary>Nothing is waiting to be sent or read, and the last <see cref="Send"/> did not end by an exception
    /// (which may leave the connection mid-exchange).</summary>
    public bool Idle => !Broken && _outputLength == 0 && _inputStart == _inputEnd;

    /// <summary>Starts no further message in the <see cref="Send"/> under way (called from its outcome handler, when the
    /// connection is no longer to be used): the one in flight finishes, and those after it get no outcome.</summary>
    public void Stop() => _stopped = true;

    /// <summary>Sends <paramref name="messages"/> from <paramref name="first"/> on, in order, reporting each message's
    /// outcome to <paramref name="outcome"/> as it is known, in the messages' order.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="first">Where to start in <paramref name="messages"/>.</param>
    /// <param name="outcome">Told each message's outcome.</param>
    /// <param name="cancellationToken">Checked before each message's envelope: once set, no new message starts (the one
    /// under way finishes), and the rest are left without an outcome.</param>
    /// <returns>The index after the last message with an outcome. Short of the end when the connection broke or
    /// <see cref="Stop"/> was called (those after it never reached the server beyond their envelope: no content went out,
    /// so they may go on another connection), when cancelled, or before a message that needs BINARYMIME (MailKit sends
    /// those, with BDAT). The message at <paramref name="first"/> gets an outcome unless it needs BINARYMIME or the token
    /// is already set. Failures are outcomes; what escapes is the outcome handler's own exception, or the caller's
    /// cancellation (the connection is then <see cref="Broken"/>).</returns>
    public int Send(IReadOnlyList<OutgoingMessage> messages, int first, Outcome outcome, CancellationToken cancellationToken = default)
    {
        _outcome = outcome;
        _reported = first;
        _stopped = false;
        // The first message's failure tells whether its MAIL FROM was answered (MailMvcSmtpClient.SenderReply).
        _client.BeginMessage();
        _deferred.Clear();
        var finished = false;
        try
        {
            var sent = SendFrom(messages, first, cancellationToken);
            finished = true;
            return sent;
        }
        finally
        {
            // Ended by an exception (the caller's outcome handler's, say): the connection may be mid-exchange.
            Broken |= !finished;
            _outcome = null;
            _deferred.Clear();
            if (_content.Capacity > KeptContentLimit)
            {
                _content = new MemoryStream();
            }
        }
    }

    private int SendFrom(IReadOnlyList<OutgoingMessage> messages, int first, CancellationToken cancellationToken)
    {
        var index = first;
        var current = StartNext(messages, ref index, deferFailures: false, cancellationToken);
        if (current < 0)
        {
            return _reported;
        }

        LogEnvelope();
        if (!TryWrite(WriteEnvelope) || !TryFlush())
        {
            Report(current, null, _failure);
            return _reported;
        }

        while (true)
        {
            var recipients = messages[current].Envelope.Recipients;
            var (refusal, startedData) = ReadEnvelopeReplies(messages[current].Envelope.Sender, recipients, current == first);
            if (refusal is null && !startedData && Broken)
            {
                // Lost before this message's replies: it never reached the server beyond its envelope.
                return _reported;
            }

            int next;
            if (refusal is not null || !startedData)
            {
                if (startedData)
                {
                    // The server waits for content, which would go to the recipients it took: drop the connection
                    // instead, so the unfinished transaction delivers nothing, as MailKit's refusal promises.
                    Broken = true;
                    Report(current, null, refusal);
                    return _reported;
                }

                // Refused before content: the transaction holds nothing yet, and RSET readies the connection.
                Reset();
                Report(current, null, refusal);
                if (Broken || _stopped)
                {
                    return _reported;
                }

                next = StartNext(messages, ref index, deferFailures: false, cancellationToken);
                if (next < 0)
                {
                    return _reported;
                }

                LogEnvelope();
                if (!TryWrite(WriteEnvelope) || !TryFlush())
                {
                    // Lost before this message's replies: it never reached the server beyond its envelope.
                    return _reported;
                }

                current = next;
                continue;
            }

            // The next message's preparation failures are reported after this one's outcome, to keep the order. A
            // failure to write is this message's: its content is on its way.
            if (!TryWrite(WriteContent))
            {
                Report(current, null, _failure);
                return _reported;
            }

            next = StartNext(messages, ref index, deferFailures: true, cancellationToken);
            if ((next >= 0 && !TryWrite(WriteEnvelope)) || !TryFlush())
            {
                Report(current, null, _failure);
                return _reported;
            }

            if (!TryReadContentReply(current))
            {
                return _reported;
            }

            if (next < 0 || _stopped)
            {
                // Stopped: the next message's envelope went without its content, so it may go on another connection,
                // and this one, whose server may be waiting for that content, is not used again.
                Broken |= next >= 0;
                return _reported;
            }

            LogEnvelope();
            current = next;
        }
    }

    /// <summary>Tells the caller a message's outcome, then those of the messages between it and the next one sent, which
    /// could not be prepared.</summary>
    private void Report(int index, string? reply, Exception? error, bool unprepared = false)
    {
        _outcome!(index, reply, error, unprepared);
        _reported = index + 1;
        foreach (var (skipped, failure) in _deferred)
        {
            _outcome(skipped, null, failure, true);
            _reported = skipped + 1;
        }

        _deferred.Clear();
    }

    /// <summary>Prepares the next message that can go and its envelope (with DATA), for <see cref="WriteEnvelope"/>. A message
    /// that cannot be prepared gets its failure as its outcome, now or (<paramref name="deferFailures"/>, while the
    /// previous message's outcome is not known yet) with that outcome.</summary>
    /// <returns>Its index; -1 when none is left, the token is set, <see cref="Stop"/> was called, or the next needs
    /// BINARYMIME (<paramref name="index"/> stays on it).</returns>
    private int StartNext(IReadOnlyList<OutgoingMessage> messages, ref int index, bool deferFailures, CancellationToken cancellationToken)
    {
        for (; index < messages.Count && !cancellationToken.IsCancellationRequested && !_stopped; index++)
        {
            var (message, envelope) = messages[index];
            try
            {
                var options = EsmtpOptions.From(envelope);
                var format = Prepare(message, out var eightBit, out var binary);
                if (binary)
                {
                    return -1;
                }

                _content.SetLength(0);
                message.WriteTo(format, _content);
                var utf8 = _client.Capabilities.HasFlag(SmtpCapabilities.UTF8)
                    && (format.International || envelope.Sender.IsInternational || envelope.Recipients.Any(r => r.IsInternational));
                _command.Clear();
                AppendMailFrom(message, envelope.Sender, options, utf8, eightBit, _content.Length);
                foreach (var recipient in envelope.Recipients)
                {
                    AppendRecipient(recipient, options);
                }

                _command.Append("DATA\r\n");
                EncodeEnvelope();
                return index++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The message itself cannot be sent (an ESMTP option MailMvc cannot send, UTF-8 the server cannot
                // take, an attachment's stream that fails to read or times out): nothing of it was written to the
                // connection. Only the caller's own cancellation ends the run.
                if (deferFailures)
                {
                    _deferred.Add((index, e));
                }
                else
                {
                    Report(index, null, e, unprepared: true);
                }

            }
        }

        return -1;
    }

    /// <summary>Reads the replies to a message's MAIL FROM, RCPT TOs and DATA.</summary>
    /// <returns>The first refusal (null when none), and whether the server answered DATA with 354. When the connection
    /// is lost (<see cref="Broken"/>), the failure is the first message's refusal; a later message has none, as it never
    /// reached the server beyond its envelope.</returns>
    private (Exception? Refusal, bool StartedData) ReadEnvelopeReplies(MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients,
        bool isFirst)
    {
        Exception? refusal = null;
        var accepted = 0;
        _client.BeginMessage();
        try
        {
            var (code, text) = ReadReply();
            refusal = SenderAnswered(sender, code, text);
            for (var i = 0; i < recipients.Count; i++)
            {
                (code, text) = ReadReply();
                if (code < 300)
                {
                    accepted++;
                }
                else
                {
                    refusal ??= code == (int)SmtpStatusCode.AuthenticationRequired
                        ? new ServiceNotAuthenticatedException(text)
                        : new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, (SmtpStatusCode)code, recipients[i], text);
                }
            }

            (code, text) = ReadReply();
            if (code == (int)SmtpStatusCode.StartMailInput)
            {
                return (refusal, true);
            }

            return (refusal ?? (accepted == 0
                ? new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "No recipients were accepted.")
                : new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)code, text)), false);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ObjectDisposedException)
        {
            Broken = true;
            return (isFirst ? refusal ?? e : null, false);
        }
    }

    private bool TryReadContentReply(int index)
    {
        int code;
        string text;
        try
        {
            (code, text) = ReadReply();
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ObjectDisposedException)
        {
            Broken = true;
            Report(index, null, e);
            return false;
        }

        Report(index, code == (int)SmtpStatusCode.Ok ? text : null, code switch
        {
            (int)SmtpStatusCode.Ok => null,
            (int)SmtpStatusCode.AuthenticationRequired => new ServiceNotAuthenticatedException(text),
            _ => new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, (SmtpStatusCode)code, text),
        });
        return true;
    }

    /// <summary>Sends what is in the output buffer.</summary>
    /// <returns>False when the connection failed (<see cref="Broken"/>; the failure in <see cref="_failure"/>).</returns>
    private bool TryFlush() => TryWrite(Flush);

    /// <summary>Runs a step that writes (and may send, when the buffer fills).</summary>
    /// <returns>False when the connection failed (<see cref="Broken"/>; the failure in <see cref="_failure"/>).</returns>
    private bool TryWrite(Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Broken = true;
            _failure = e;
            return false;
        }
    }

    private Exception? SenderAnswered(MailboxAddress sender, int code, string text)
    {
        _client.SenderAnswered((SmtpStatusCode)code);
        return code switch
        {
            >= 250 and < 260 => null,
            (int)SmtpStatusCode.AuthenticationRequired => new ServiceNotAuthenticatedException(text),
            _ => new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, (SmtpStatusCode)code, sender, text),
        };
    }

    /// <summary>MailKit's preparation for its own <c>Send</c>: the wire's format, the message re-encoded for what the
    /// server takes (unless signed), and whether a part needs 8BITMIME.</summary>
    private FormatOptions Prepare(MimeMessage message, out bool eightBit, out bool binary)
    {
        // MailKit clones its format for every message; the server's capabilities are fixed for the connection, so the
        // two formats it can make (signed messages' without UTF-8 headers) are made once.
        var capabilities = _client.Capabilities;
        var format = _format ??= WireFormatFor(capabilities);
        if (format.International && !capabilities.HasFlag(SmtpCapabilities.EightBitMime))
        {
            throw new NotSupportedException("The SMTP server does not support the 8BITMIME extension.");
        }

        var constraint = capabilities.HasFlag(SmtpCapabilities.BinaryMime) ? EncodingConstraint.None
            : capabilities.HasFlag(SmtpCapabilities.EightBitMime) ? EncodingConstraint.EightBit
            : EncodingConstraint.SevenBit;
        if (!message.Headers.Contains(HeaderId.DomainKeySignature) && !message.Headers.Contains(HeaderId.DkimSignature)
            && !message.Headers.Contains(HeaderId.ArcSeal))
        {
            message.Prepare(constraint, MaxLineLength);
        }
        else if (format.International)
        {
            format = _signedFormat ??= WithoutUtf8Headers(format);
        }

        eightBit = false;
        binary = false;
        using var parts = new MimeIterator(message);
        while (parts.MoveNext())
        {
            switch (parts.Current)
            {
                case MimePart { ContentTransferEncoding: ContentEncoding.EightBit } when capabilities.HasFlag(SmtpCapabilities.EightBitMime):
                    eightBit = true;
                    break;
                case MimePart { ContentTransferEncoding: ContentEncoding.Binary } when capabilities.HasFlag(SmtpCapabilities.BinaryMime):
                    binary = true;
                    break;
            }
        }

        return format;
    }

    private static FormatOptions WireFormatFor(SmtpCapabilities capabilities)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        if (format.International && !capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            format.International = false;
        }

        return format;
    }

    private static FormatOptions WithoutUtf8Headers(FormatOptions format)
    {
        var ascii = format.Clone();
        ascii.International = false;
        return ascii;
    }

    private void AppendMailFrom(MimeMessage message, MailboxAddress sender, EsmtpOptions options, bool utf8, bool eightBit, long size)
    {
        var capabilities = _client.Capabilities;
        _command.Append("MAIL FROM:<").Append(sender.GetAddress(!utf8)).Append('>');
        if (utf8)
        {
            _command.Append(" SMTPUTF8");
        }

        if (capabilities.HasFlag(SmtpCapabilities.Size))
        {
            _command.Append(" SIZE=").Append(size.ToString(CultureInfo.InvariantCulture));
        }

        if (eightBit)
        {
            _command.Append(" BODY=8BITMIME");
        }

        if (capabilities.HasFlag(SmtpCapabilities.Dsn))
        {
            if (options.EnvelopeId is { Length: > 0 } envelopeId)
            {
                _command.Append(" ENVID=");
                AppendXtext(envelopeId);
            }

            _command.Append(options.Return switch
            {
                DeliveryStatusNotificationType.HeadersOnly => " RET=HDRS",
                DeliveryStatusNotificationType.Full => " RET=FULL",
                _ => "",
            });
        }

        if (_client.RequireTLS && capabilities.HasFlag(SmtpCapabilities.RequireTLS) && message.Headers.IndexOf(HeaderId.TLSRequired) < 0)
        {
            _command.Append(" REQUIRETLS");
        }

        _command.Append("\r\n");
    }

    private void AppendRecipient(MailboxAddress recipient, EsmtpOptions options)
    {
        var capabilities = _client.Capabilities;
        var address = recipient.GetAddress(!capabilities.HasFlag(SmtpCapabilities.UTF8));
        _command.Append("RCPT TO:<").Append(address).Append('>');
        if (capabilities.HasFlag(SmtpCapabilities.Dsn) && options.Notify is { } notify)
        {
            _command.Append(" NOTIFY=").Append(NotifyValue(notify)).Append(" ORCPT=rfc822;");
            AppendXtext(address);
        }

        _command.Append("\r\n");
    }

    private static string NotifyValue(DeliveryStatusNotification notify)
    {
        if (notify == DeliveryStatusNotification.Never)
        {
            return "NEVER";
        }

        var value = (notify.HasFlag(DeliveryStatusNotification.Success) ? "SUCCESS," : "")
            + (notify.HasFlag(DeliveryStatusNotification.Failure) ? "FAILURE," : "")
            + (notify.HasFlag(DeliveryStatusNotification.Delay) ? "DELAY" : "");
        return value.TrimEnd(',');
    }

    /// <summary>RFC 3461's xtext: printable ASCII but '+' and '=' as is, every other byte of the UTF-8 as "+XX".</summary>
    private void AppendXtext(string value)
    {
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= 33 and <= 126 and not (byte)'+' and not (byte)'=')
            {
                _command.Append((char)b);
            }
            else
            {
                _command.Append('+').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Turns the envelope's commands into bytes, kept until they are logged.</summary>
    private void EncodeEnvelope()
    {
        var needed = 0;
        foreach (var chunk in _command.GetChunks())
        {
            needed += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        if (needed > _envelope.Length)
        {
            _envelope = new byte[Math.Max(needed, _envelope.Length * 2)];
        }

        _envelopeLength = 0;
        foreach (var chunk in _command.GetChunks())
        {
            _envelopeLength += Encoding.UTF8.GetBytes(chunk.Span, _envelope.AsSpan(_envelopeLength));
        }
    }

    /// <summary>Puts the envelope last prepared in the output buffer.</summary>
    private void WriteEnvelope() => Write(_envelope.AsSpan(0, _envelopeLength));

    /// <summary>Logs the envelope last written, once the exchange before it is logged.</summary>
    private void LogEnvelope() => _logger?.LogClient(_envelope, 0, _envelopeLength);

    /// <summary>Puts the current message's content and the final dot in the output buffer, dot-stuffed as MailKit's
    /// <c>SmtpDataFilter</c> does it: a dot that starts a line is doubled, and content that does not end a line gets a
    /// CRLF before the final dot.</summary>
    private void WriteContent()
    {
        var content = _content.GetBuffer().AsSpan(0, (int)_content.Length);
        if (!content.IsEmpty && content[0] == '.')
        {
            Write("."u8, log: true);
        }

        while (content.IndexOf("\n."u8) is var newlineDot and >= 0)
        {
            // Up to and with the newline, then the extra dot; the line's own dot starts the next piece.
            Write(content[..(newlineDot + 1)], log: true);
            Write("."u8, log: true);
            content = content[(newlineDot + 1)..];
        }

        Write(content, log: true);
        if (_content.Length > 0 && _content.GetBuffer()[_content.Length - 1] != '\n')
        {
            Write("\r\n"u8, log: true);
        }

        Write(s_endOfData, log: true);
    }

    /// <summary>Sends RSET after a refusal, as MailKit does: the connection is ready for the next message, or
    /// <see cref="Broken"/> when RSET fails.</summary>
    private void Reset()
    {
        if (Broken)
        {
            return;
        }

        try
        {
            Write(s_reset, log: true);
            Flush();
            if (ReadReply().Code != (int)SmtpStatusCode.Ok)
            {
                Broken = true;
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or ObjectDisposedException)
        {
            Broken = true;
        }
    }

    /// <summary>Adds bytes to the output buffer, sending it when full; logged now when <paramref name="log"/>.</summary>
    private void Write(ReadOnlySpan<byte> bytes, bool log = false)
    {
        while (!bytes.IsEmpty)
        {
            if (_outputLength == _output.Length)
            {
                Flush();
            }

            var n = Math.Min(bytes.Length, _output.Length - _outputLength);
            bytes[..n].CopyTo(_output.AsSpan(_outputLength));
            if (log)
            {
                _logger?.LogClient(_output, _outputLength, n);
            }

            _outputLength += n;
            bytes = bytes[n..];
        }
    }

    private void Flush()
    {
        if (_outputLength == 0)
        {
            return;
        }

        try
        {
            _network.Write(_output, 0, _outputLength);
        }
        catch
        {
            Broken = true;
            throw;
        }

        _outputLength = 0;
    }

    /// <summary>Reads one reply, its lines joined with '\n' as MailKit joins them.</summary>
    private (int Code, string Text) ReadReply()
    {
        _reply.Clear();
        var code = 0;
        while (true)
        {
            var line = ReadLine();
            if (line.Length < 3 || !int.TryParse(line[..3], NumberStyles.None, CultureInfo.InvariantCulture, out var lineCode) || lineCode < 100
                || (line.Length > 3 && line[3] is not ('-' or ' ')))
            {
                Broken = true;
                throw new SmtpProtocolException("Unable to parse status code returned by the server.");
            }

            if (code != 0 && lineCode != code)
            {
                Broken = true;
                throw new SmtpProtocolException("The status codes returned by the server did not match.");
            }

            code = lineCode;
            var more = line.Length > 3 && line[3] == '-';
            _reply.Append(line.Length > 4 ? line[4..] : "");
            if (!more)
            {
                var text = _reply.ToString();
                _lastReply = text;
                return (code, text);
            }

            _reply.Append('\n');
        }
    }

    private string ReadLine()
    {
        while (true)
        {
            var newline = Array.IndexOf(_input, (byte)'\n', _inputStart, _inputEnd - _inputStart);
            if (newline >= 0)
            {
                var end = newline > _inputStart && _input[newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.UTF8.GetString(_input, _inputStart, end - _inputStart);
                // Logged as read, not as received: a read may hold the next message's replies too.
                _logger?.LogServer(_input, _inputStart, newline + 1 - _inputStart);
                _inputStart = newline + 1;
                return line;
            }

            if (_inputStart > 0)
            {
                Buffer.BlockCopy(_input, _inputStart, _input, 0, _inputEnd - _inputStart);
                _inputEnd -= _inputStart;
                _inputStart = 0;
            }

            if (_inputEnd == _input.Length)
            {
                Broken = true;
                throw new SmtpProtocolException("The SMTP server sent a reply line longer than 4096 bytes.");
            }

            int read;
            try
            {
                read = _network.Read(_input, _inputEnd, _input.Length - _inputEnd);
            }
            catch
            {
                Broken = true;
                throw;
            }

            if (read == 0)
            {
                Broken = true;
                throw new SmtpProtocolException(_lastReply is null
                    ? "The SMTP server has unexpectedly disconnected."
                    : $"The SMTP server has unexpectedly disconnected: {_lastReply}");
            }

            _inputEnd += read;
        }
    }
}
